// The watcher's USB half: a device appearing in (fake) sysfs makes the module re-initialise at
// once, so a driver that only shows new tokens after C_Initialize (SoftHSM here) shows it within
// a second — and never while a request is in flight.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsbChangeDetector } from '../src/hardware/hotplug-usb.js';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import { TokenWatcher } from '../src/pkcs11/token-watcher.js';
import { freshSoftHsm, provisionInChild, tokenSpec } from './support/softhsm.js';
import { openManager } from './support/tokens.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const GOV = tokenSpec('KYSO CO QUAN');
const CIT = tokenSpec('KYSO CONG DAN');

function plug(root: string, name: string, vid: string, pid: string): void {
  const dir = join(root, 'bus', 'usb', 'devices', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'idVendor'), `${vid}\n`);
  writeFileSync(join(dir, 'idProduct'), `${pid}\n`);
}
const unplug = (root: string, name: string) => rmSync(join(root, 'bus', 'usb', 'devices', name), { recursive: true, force: true });
const labels = (m: TokenManager) => m.tokenJson().map((t) => t.label).sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function changedTo(m: TokenManager, want: string[], timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { m.off('changed', on); reject(new Error(`tokens still ${labels(m).join(',')}`)); }, timeoutMs);
    const on = () => { if (labels(m).join() === [...want].sort().join()) { clearTimeout(t); m.off('changed', on); resolve(Date.now() - started); } };
    m.on('changed', on);
  });
}

describe('USB changes trigger a module re-initialisation', () => {
  const env = freshSoftHsm([ORG]);
  const sysfs = mkdtempSync(join(tmpdir(), 'kyso-sysfs-'));
  let manager: TokenManager;
  let watcher: TokenWatcher;

  beforeAll(async () => {
    plug(sysfs, 'usb1', '1d6b', '0002'); // the root hub is always there
    manager = await openManager(env);
    // No periodic re-initialisation: only a USB change can reveal a new SoftHSM token.
    watcher = new TokenWatcher(manager, { pollMs: 100, rescanEveryMs: 0, usb: new UsbChangeDetector({ platform: 'linux', sysfsRoot: sysfs }) });
    watcher.start();
  });
  afterAll(() => { watcher.stop(); manager.close(); env.cleanup(); rmSync(sysfs, { recursive: true, force: true }); });

  it('a new token that slot polling alone cannot see appears within 1 s of the USB device', async () => {
    provisionInChild(env.dir, [ORG, GOV]);
    await sleep(800); // many polls
    expect(labels(manager)).toEqual([ORG.label]);
    const seen = changedTo(manager, [ORG.label, GOV.label], 1_000);
    plug(sysfs, '1-2', '096e', '0807');
    const ms = await seen;
    console.log(`USB-triggered re-initialisation: new token listed ${ms} ms after the device appeared`);
    expect(watcher.lastUsbChange?.added.map((d) => `${d.vid}:${d.pid}`)).toEqual(['096e:0807']);
  });
});

describe('UsbChangeDetector', () => {
  it('first look is the baseline; then added and removed devices; unchanged sysfs lists nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kyso-sysfs-'));
    try {
      plug(root, 'usb1', '1d6b', '0002');
      const det = new UsbChangeDetector({ platform: 'linux', sysfsRoot: root });
      expect(await det.poll()).toBeUndefined();
      expect(await det.poll()).toBeUndefined();
      plug(root, '1-3', '0529', '0620');
      const c = await det.poll();
      expect(c?.added.map((d) => d.pid)).toEqual(['0620']);
      expect(c?.removed).toEqual([]);
      unplug(root, '1-3');
      expect((await det.poll())?.removed.map((d) => d.vid)).toEqual(['0529']);
      expect(det.current()?.map((d) => d.vid)).toEqual(['1d6b']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('macOS/Windows listings run at their slow cadence, Windows not at all by default', async () => {
    let calls = 0;
    const list = async () => { calls++; return []; };
    const mac = new UsbChangeDetector({ platform: 'darwin', list });
    await mac.poll(10_000);
    await mac.poll(11_000);
    await mac.poll(16_000);
    expect(calls).toBe(2);
    calls = 0;
    const win = new UsbChangeDetector({ platform: 'win32', list });
    await win.poll(10_000);
    expect(calls).toBe(0);
  });
});
