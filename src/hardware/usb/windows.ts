// Windows: USB devices from PowerShell as JSON. Get-PnpDevice -PresentOnly (Windows 8+) gives
// InstanceId "USB\VID_096E&PID_0807\<serial or generated id>"; the Win32_PnPEntity fallback
// (old PowerShell) gives the same in PNPDeviceID. Composite interfaces (&MI_xx) are skipped;
// a Status of Error is kept on purpose: that is what a token without its driver shows.
import { hex4, type UsbDevice } from './types.js';

const UTF8 = '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8;';
export const PNP_COMMAND = {
  file: 'powershell.exe',
  args: ['-NoProfile', '-NonInteractive', '-Command',
    `${UTF8} Get-PnpDevice -PresentOnly | Where-Object { $_.InstanceId -like 'USB\\VID_*' } | ` +
    'Select-Object InstanceId,FriendlyName,Manufacturer,Class,Status | ConvertTo-Json -Compress'],
};
export const CIM_COMMAND = {
  file: 'powershell.exe',
  args: ['-NoProfile', '-NonInteractive', '-Command',
    `${UTF8} Get-CimInstance Win32_PnPEntity | Where-Object { $_.PNPDeviceID -like 'USB\\VID_*' } | ` +
    'Select-Object PNPDeviceID,Name,Manufacturer | ConvertTo-Json -Compress'],
};

const ID = /^USB\\VID_([0-9A-F]{4})&PID_([0-9A-F]{4})(&MI_[0-9A-F]{2})?(?:\\(.*))?$/i;

type Row = Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Parses either command's JSON (one object or an array; empty output = no devices). */
export function parsePnpJson(json: string): UsbDevice[] {
  const trimmed = json.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  const parsed = JSON.parse(trimmed) as Row | Row[];
  const rows = Array.isArray(parsed) ? parsed : [parsed];
  const seen = new Set<string>();
  const devices: UsbDevice[] = [];
  for (const row of rows) {
    const id = text(row.InstanceId) ?? text(row.PNPDeviceID) ?? text(row.DeviceID);
    const m = id ? ID.exec(id) : null;
    if (!id || !m || m[3]) continue;
    const instance = m[4];
    // Windows generates ids containing '&' when the device has no serial number.
    const serial = instance && !instance.includes('&') ? instance : undefined;
    const key = id.toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    devices.push({
      vid: hex4(m[1]), pid: hex4(m[2]),
      manufacturer: text(row.Manufacturer),
      product: text(row.FriendlyName) ?? text(row.Name),
      serial, location: id, source: 'pnp',
    });
  }
  return devices;
}
