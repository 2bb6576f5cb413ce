// "ePass2003 plugged in, its driver is / is not installed": USB devices against the catalogue.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listUsbDevices } from '../src/hardware/usb/index.js';
import { describeUsbTokens, detectUsbTokens } from '../src/hardware/usb-tokens.js';
import type { UsbDevice } from '../src/hardware/usb/types.js';

const SYSFS = resolve('test/fixtures/usb/sysfs-epass2003');
const saved = process.env.KYSO_SYSFS_ROOT;
afterEach(() => {
  if (saved === undefined) delete process.env.KYSO_SYSFS_ROOT; else process.env.KYSO_SYSFS_ROOT = saved;
});

async function pluggedIn(): Promise<UsbDevice[]> {
  process.env.KYSO_SYSFS_ROOT = SYSFS;
  return listUsbDevices({ platform: 'linux' });
}

describe('describeUsbTokens', () => {
  it('reports an ePass2003 without its driver, with the install hint', async () => {
    const reports = describeUsbTokens(await pluggedIn(), [], { platform: 'linux', exists: () => false });
    expect(reports).toHaveLength(1); // the mouse and the root hub are not tokens
    const [r] = reports;
    expect(r.device.product).toBe('ePass2003');
    expect(r.entry.id).toBe('feitian-epass2003');
    expect(r.brands.map((b) => b.id)).toContain('vnpt-ca');
    expect(r.driverInstalled).toBe(false);
    expect(r.modulePaths).toEqual([]);
    expect(r.installHint.vi).toMatch(/ePass2003/);
    expect(r.installHint.en).toMatch(/install/i);
    expect(r.summary.vi).toContain('chưa cài driver');
    expect(r.summary.en).toContain('096E:0807');
  });

  it('says installed when a catalogue path exists on disk', async () => {
    const seen: string[] = [];
    const exists = (p: string) => { seen.push(p); return p === '/usr/local/lib/libcastle.so.1.0.0'; };
    const [r] = describeUsbTokens(await pluggedIn(), [], { platform: 'linux', exists });
    expect(r.driverInstalled).toBe(true);
    expect(r.modulePaths).toEqual(['/usr/local/lib/libcastle.so.1.0.0']);
    expect(r.summary.en).toContain('is installed');
    expect(seen).toContain('/usr/lib/libcastle.so.1.0.0');
  });

  it('says installed when a loaded module has a known file name, wherever it lives', async () => {
    const [r] = describeUsbTokens(await pluggedIn(), ['/usr/lib/softhsm/libsofthsm2.so', '/opt/feitian/libcastle.so.1.0.0'],
      { platform: 'linux', exists: () => false });
    expect(r.driverInstalled).toBe(true);
    expect(r.modulePaths).toEqual(['/opt/feitian/libcastle.so.1.0.0']);
  });

  it('counts a CA brand module (Windows, VNPT-CA) as the driver for a rebranded ePass2003', () => {
    const device: UsbDevice = { vid: '096e', pid: '0807', source: 'pnp' };
    const exists = (p: string) => p === 'C:\\Windows\\System32\\vnptca_p11_v6.dll';
    const [r] = describeUsbTokens([device], [], { platform: 'win32', exists });
    expect(r.driverInstalled).toBe(true);
    expect(r.modulePaths).toEqual(['C:\\Windows\\System32\\vnptca_p11_v6.dll']);
    // Windows file names compare case-insensitively.
    const [loaded] = describeUsbTokens([device], ['D:\\Drivers\\EPS2003CSP11.DLL'], { platform: 'win32', exists: () => false });
    expect(loaded.driverInstalled).toBe(true);
  });

  it('does not take an unrelated module for the driver', () => {
    const device: UsbDevice = { vid: '0529', pid: '0620', source: 'sysfs' };
    const [r] = describeUsbTokens([device], ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/libcastle.so.1.0.0'],
      { platform: 'linux', exists: (p) => p === '/usr/lib/libcastle.so.1.0.0' });
    expect(r.entry.id).toBe('safenet-etoken');
    expect(r.driverInstalled).toBe(false);
    expect(r.installHint.en).toContain('SafeNet Authentication Client');
  });
});

describe('detectUsbTokens', () => {
  it('lists and describes in one call (macOS, recorded ioreg)', async () => {
    const ioreg = readFileSync(resolve('test/fixtures/usb/ioreg-tokens.txt'), 'utf8');
    const reports = await detectUsbTokens(['/usr/local/lib/libeTPkcs11.dylib'], { platform: 'darwin', run: async () => ioreg, exists: () => false });
    expect(reports.map((r) => [r.entry.id, r.driverInstalled])).toEqual([['feitian-epass2003', false], ['safenet-etoken', true]]);
  });

  it('works on the real sysfs of this machine, whatever is plugged in', async () => {
    delete process.env.KYSO_SYSFS_ROOT;
    const reports = await detectUsbTokens([], { platform: 'linux', sysfsRoot: '/sys' });
    expect(Array.isArray(reports)).toBe(true);
    for (const r of reports) expect(r.entry.usb.length).toBeGreaterThan(0);
    expect(join(SYSFS, 'bus', 'usb', 'devices')).toMatch(/sysfs-epass2003\/bus\/usb\/devices$/);
  });
});
