// USB listing on the three OSes, from recorded tool outputs and a fake sysfs tree.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listUsbDevices, parseIoreg, parsePnpJson } from '../src/hardware/usb/index.js';
import { isKysoError } from '../src/errors.js';

const FIX = resolve('test/fixtures/usb');
const fixture = (name: string) => readFileSync(join(FIX, name), 'utf8');

describe('macOS ioreg', () => {
  it('parses devices with decimal ids and skips controllers', () => {
    const devices = parseIoreg(fixture('ioreg-tokens.txt'));
    expect(devices.map((d) => `${d.vid}:${d.pid}`)).toEqual(['096e:0807', '05e3:0815', '0529:0620']);
    expect(devices[0]).toEqual({
      vid: '096e', pid: '0807', manufacturer: 'FS', product: 'ePass2003', serial: '2A6B8C3E1F2D0010',
      location: '0x00100000', source: 'ioreg',
    });
    expect(devices[2]).toMatchObject({ manufacturer: 'SafeNet', product: 'Token JC', serial: undefined });
  });

  it('runs ioreg through listUsbDevices', async () => {
    const calls: string[][] = [];
    const devices = await listUsbDevices({ platform: 'darwin', run: async (f, a) => { calls.push([f, ...a]); return fixture('ioreg-tokens.txt'); } });
    expect(calls).toEqual([['/usr/sbin/ioreg', '-p', 'IOUSB', '-l', '-w0']]);
    expect(devices).toHaveLength(3);
  });

  it('reports a broken ioreg as an error, not as "nothing plugged in"', async () => {
    const err = await listUsbDevices({ platform: 'darwin', run: async () => { throw new Error('ENOENT'); } }).catch((e) => e);
    expect(isKysoError(err, 'INTERNAL')).toBe(true);
  });
});

describe('Windows PnP', () => {
  it('parses Get-PnpDevice JSON: USB ids only, interfaces skipped, serials from instance ids', () => {
    const devices = parsePnpJson(fixture('pnp-get-pnpdevice.json'));
    expect(devices.map((d) => `${d.vid}:${d.pid}`)).toEqual(['096e:0807', '0529:0620', '046d:c52b']);
    expect(devices[0]).toMatchObject({ serial: undefined, product: 'Microsoft Usbccid Smartcard Reader (WUDF)', source: 'pnp' });
    expect(devices[1]).toMatchObject({ serial: '0001A2B3C4D5', manufacturer: 'SafeNet', location: 'USB\\VID_0529&PID_0620\\0001A2B3C4D5' });
  });

  it('parses the Win32_PnPEntity fallback (a single object) and empty output', () => {
    expect(parsePnpJson(fixture('pnp-win32-pnpentity.json'))).toEqual([{
      vid: '25dd', pid: '2341', manufacturer: 'Bit4id', product: 'Bit4id miniLector EVO', serial: 'BIT4ID00417',
      location: 'USB\\VID_25DD&PID_2341\\BIT4ID00417', source: 'pnp',
    }]);
    expect(parsePnpJson('\uFEFF\r\n')).toEqual([]);
  });

  it('falls back to Win32_PnPEntity when Get-PnpDevice fails', async () => {
    const scripts: string[] = [];
    const devices = await listUsbDevices({
      platform: 'win32',
      run: async (_f, args) => {
        const script = args[args.length - 1];
        scripts.push(script);
        if (script.includes('Get-PnpDevice')) throw new Error('Get-PnpDevice is not recognized');
        return fixture('pnp-win32-pnpentity.json');
      },
    });
    expect(scripts).toHaveLength(2);
    expect(scripts[1]).toContain('Win32_PnPEntity');
    expect(devices.map((d) => d.vid)).toEqual(['25dd']);
  });

  it('fails with INTERNAL when PowerShell does not run at all', async () => {
    const err = await listUsbDevices({ platform: 'win32', run: async () => { throw new Error('spawn powershell.exe ENOENT'); } }).catch((e) => e);
    expect(isKysoError(err, 'INTERNAL')).toBe(true);
    expect(String(err.message)).toContain('ENOENT');
  });
});

describe('Linux sysfs', () => {
  const saved = process.env.KYSO_SYSFS_ROOT;
  const dirs: string[] = [];
  afterEach(() => {
    if (saved === undefined) delete process.env.KYSO_SYSFS_ROOT; else process.env.KYSO_SYSFS_ROOT = saved;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('reads the recorded tree through KYSO_SYSFS_ROOT', async () => {
    process.env.KYSO_SYSFS_ROOT = join(FIX, 'sysfs-epass2003');
    const devices = await listUsbDevices({ platform: 'linux' });
    expect(devices.map((d) => `${d.location}=${d.vid}:${d.pid}`)).toEqual(['1-2=096e:0807', '1-3=046d:c077', 'usb1=1d6b:0002']);
    expect(devices[0]).toEqual({ vid: '096e', pid: '0807', manufacturer: 'FS', product: 'ePass2003', serial: '2A6B8C3E1F2D0010', location: '1-2', source: 'sysfs' });
    expect(devices[1].serial).toBeUndefined();
  });

  it('follows sysfs symlinks and skips interfaces', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kyso-sysfs-'));
    dirs.push(root);
    const real = join(root, 'devices', 'pci0000:00', '0000:00:14.0', 'usb2');
    const dev = join(real, '2-1');
    const intf = join(dev, '2-1:1.0');
    mkdirSync(intf, { recursive: true });
    writeFileSync(join(dev, 'idVendor'), '0529\n');
    writeFileSync(join(dev, 'idProduct'), '0620\n');
    writeFileSync(join(dev, 'product'), 'Token JC\n');
    writeFileSync(join(intf, 'bInterfaceClass'), '0b\n');
    const links = join(root, 'bus', 'usb', 'devices');
    mkdirSync(links, { recursive: true });
    symlinkSync('../../../devices/pci0000:00/0000:00:14.0/usb2/2-1', join(links, '2-1'));
    symlinkSync('../../../devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0', join(links, '2-1:1.0'));
    process.env.KYSO_SYSFS_ROOT = root;
    expect(await listUsbDevices({ platform: 'linux' })).toEqual([
      { vid: '0529', pid: '0620', manufacturer: undefined, product: 'Token JC', serial: undefined, location: '2-1', source: 'sysfs' },
    ]);
  });

  it('gives no devices when there is no USB bus', async () => {
    process.env.KYSO_SYSFS_ROOT = join(tmpdir(), 'kyso-no-such-sysfs');
    expect(await listUsbDevices({ platform: 'linux' })).toEqual([]);
  });
});
