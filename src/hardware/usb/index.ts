// listUsbDevices(): the USB devices plugged in now, on Linux (sysfs), macOS (ioreg) and
// Windows (PowerShell PnP), behind one interface. Commands are injectable for tests.
import { execFile } from 'node:child_process';
import { KysoError } from '../../errors.js';
import { IOREG_COMMAND, parseIoreg } from './ioreg.js';
import { listSysfsUsbDevices } from './sysfs.js';
import { CIM_COMMAND, PNP_COMMAND, parsePnpJson } from './windows.js';
import type { CommandRunner, UsbDevice } from './types.js';

export type { CommandRunner, UsbDevice } from './types.js';
export { parseIoreg } from './ioreg.js';
export { parsePnpJson } from './windows.js';
export { listSysfsUsbDevices, sysfsRoot } from './sysfs.js';

export const runCommand: CommandRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 15_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' },
      (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });

export interface ListUsbOptions {
  platform?: NodeJS.Platform;
  run?: CommandRunner;
  /** Linux only: sysfs root instead of KYSO_SYSFS_ROOT or /sys. */
  sysfsRoot?: string;
}

/**
 * Devices plugged in now. Throws KysoError INTERNAL when the OS tool fails (ioreg/PowerShell
 * missing or broken): "cannot tell" must not read as "nothing plugged in".
 */
export async function listUsbDevices(opts: ListUsbOptions = {}): Promise<UsbDevice[]> {
  const platform = opts.platform ?? process.platform;
  const run = opts.run ?? runCommand;
  if (platform === 'darwin') {
    try {
      return parseIoreg(await run(IOREG_COMMAND.file, IOREG_COMMAND.args));
    } catch (e) {
      throw new KysoError('INTERNAL', { usb: 'ioreg' }, `USB listing (ioreg) failed: ${(e as Error).message}`);
    }
  }
  if (platform === 'win32') {
    let first: unknown;
    // Get-PnpDevice needs Windows 8+; Win32_PnPEntity works everywhere PowerShell does.
    for (const cmd of [PNP_COMMAND, CIM_COMMAND]) {
      try {
        return parsePnpJson(await run(cmd.file, cmd.args));
      } catch (e) {
        first ??= e;
      }
    }
    throw new KysoError('INTERNAL', { usb: 'powershell' }, `USB listing (PowerShell) failed: ${(first as Error).message}`);
  }
  return listSysfsUsbDevices(opts.sysfsRoot); // Linux and other sysfs systems
}
