// "Your ePass2003 is plugged in, its driver is (not) installed": USB devices matched to the
// driver catalogue. The most common support case is a token plugged in without its driver,
// which PKCS#11 alone cannot see; USB ids can.
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { activeCatalogue, entryModulePaths, matchUsbDevice, type CatalogueEntry } from './catalogue.js';
import { listUsbDevices, type ListUsbOptions } from './usb/index.js';
import type { UsbDevice } from './usb/types.js';

export interface UsbTokenReport {
  device: UsbDevice;
  /** The token family (hardware) the USB id belongs to. */
  entry: CatalogueEntry;
  /** CA brands shipping that family; their rebranded modules drive it too. */
  brands: CatalogueEntry[];
  /** Generic middleware (kind software, e.g. OpenSC) that also drives that family. */
  middleware: CatalogueEntry[];
  /** A module of the family or of one of its brands exists on disk or is loaded. */
  driverInstalled: boolean;
  /** Those modules (found on disk, or loaded from elsewhere). */
  modulePaths: string[];
  installHint: { vi: string; en: string };
  /** One line for the user, Vietnamese first. */
  summary: { vi: string; en: string };
}

export interface DescribeOptions {
  platform?: string;
  /** Injectable for tests: does this module file exist? */
  exists?: (path: string) => boolean;
  entries?: CatalogueEntry[];
}

function baseName(path: string, platform: string): string {
  const name = platform === 'win32' ? win32.basename(path) : posix.basename(path);
  return platform === 'win32' ? name.toLowerCase() : name;
}

function summary(device: UsbDevice, entry: CatalogueEntry, installed: boolean, by?: CatalogueEntry): { vi: string; en: string } {
  const name = entry.products[0] ?? entry.name;
  const id = `${device.vid.toUpperCase()}:${device.pid.toUpperCase()}`;
  if (installed && by) {
    return { vi: `Đã cắm thiết bị ký số ${name} (${id}); driver ${by.name} phục vụ thiết bị này đã được cài đặt.`, en: `${name} (${id}) is plugged in; ${by.name}, which drives it, is installed.` };
  }
  return installed
    ? { vi: `Đã cắm thiết bị ký số ${name} (${id}); driver đã được cài đặt.`, en: `${name} (${id}) is plugged in; its driver is installed.` }
    : { vi: `Đã cắm thiết bị ký số ${name} (${id}) nhưng chưa cài driver.`, en: `${name} (${id}) is plugged in but its driver is not installed.` };
}

/**
 * One report per device the catalogue knows (other USB devices are left out). The driver
 * counts as installed when a module path of the family, its brands or a generic middleware that
 * serves the family (OpenSC for ePass2003) exists for this OS, or when a loaded module has one of
 * their file names (installed somewhere unusual).
 */
export function describeUsbTokens(devices: UsbDevice[], loadedModulePaths: string[] = [], opts: DescribeOptions = {}): UsbTokenReport[] {
  const platform = opts.platform ?? process.platform;
  const exists = opts.exists ?? existsSync;
  const entries = opts.entries ?? activeCatalogue();
  const reports: UsbTokenReport[] = [];
  for (const device of devices) {
    const matches = matchUsbDevice(device.vid, device.pid, entries);
    const entry = matches.find((e) => e.usb.length > 0);
    if (!entry) continue;
    const brands = matches.filter((e) => e !== entry && e.kind === 'brand');
    const middleware = matches.filter((e) => e !== entry && e.kind === 'software');
    const found = (e: CatalogueEntry) => {
      const known = entryModulePaths(e, platform);
      const names = new Set(known.map((p) => baseName(p, platform)));
      const onDisk = known.filter((p) => (platform === 'win32' ? win32 : posix).isAbsolute(p) && exists(p));
      return [...loadedModulePaths.filter((p) => names.has(baseName(p, platform))), ...onDisk];
    };
    const own = [entry, ...brands].flatMap(found);
    const served = middleware.map((m) => ({ m, paths: found(m) })).filter((x) => x.paths.length > 0);
    const modulePaths = [...new Set([...own, ...served.flatMap((x) => x.paths)])];
    const driverInstalled = modulePaths.length > 0;
    const by = own.length === 0 ? served[0]?.m : undefined;
    reports.push({ device, entry, brands, middleware, driverInstalled, modulePaths, installHint: entry.installHint, summary: summary(device, entry, driverInstalled, by) });
  }
  return reports;
}

/** listUsbDevices() + describeUsbTokens(): the tokens plugged in now and their driver state. */
export async function detectUsbTokens(loadedModulePaths: string[] = [], opts: DescribeOptions & ListUsbOptions = {}): Promise<UsbTokenReport[]> {
  const platform = (opts.platform ?? process.platform) as NodeJS.Platform;
  return describeUsbTokens(await listUsbDevices({ ...opts, platform }), loadedModulePaths, { ...opts, platform });
}
