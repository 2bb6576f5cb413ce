// Linux: USB devices from sysfs (/sys/bus/usb/devices/<name>/idVendor…). No libusb, no root
// needed. KYSO_SYSFS_ROOT replaces "/sys" so tests and support staff can point at a fake or
// copied tree (e.g. `cp -rL /sys/bus/usb/devices` from a user's machine).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hex4, type UsbDevice } from './types.js';

export function sysfsRoot(): string {
  return process.env.KYSO_SYSFS_ROOT || '/sys';
}

async function attr(dir: string, name: string): Promise<string | undefined> {
  try {
    const v = (await readFile(join(dir, name), 'utf8')).trim();
    return v === '' ? undefined : v;
  } catch {
    return undefined; // absent attribute (no serial, permissions): leave it out
  }
}

/** Every USB device (not interface: those have no idVendor) under <root>/bus/usb/devices. */
export async function listSysfsUsbDevices(root: string = sysfsRoot()): Promise<UsbDevice[]> {
  const base = join(root, 'bus', 'usb', 'devices');
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return []; // no USB bus at all (container, no sysfs): nothing plugged in as far as we know
  }
  const devices: UsbDevice[] = [];
  for (const name of names.sort()) {
    const dir = join(base, name);
    const [vid, pid] = await Promise.all([attr(dir, 'idVendor'), attr(dir, 'idProduct')]);
    if (!vid || !pid || !/^[0-9a-f]{1,4}$/i.test(vid) || !/^[0-9a-f]{1,4}$/i.test(pid)) continue;
    const [manufacturer, product, serial] = await Promise.all([attr(dir, 'manufacturer'), attr(dir, 'product'), attr(dir, 'serial')]);
    devices.push({ vid: hex4(vid), pid: hex4(pid), manufacturer, product, serial, location: name, source: 'sysfs' });
  }
  return devices;
}
