// macOS: USB devices from `ioreg -p IOUSB -l -w0` (always installed; no entitlements). Each
// "+-o Name@location <class …>" node is followed by its property block; ids are decimal there.
import { hex4, type UsbDevice } from './types.js';

export const IOREG_COMMAND = { file: '/usr/sbin/ioreg', args: ['-p', 'IOUSB', '-l', '-w0'] };

const NODE = /^[\s|]*\+-o\s+(.+?)\s+<class\s+([^,>]+)/;
const PROP = /^[\s|]*"([^"]+)"\s*=\s*(.*?)\s*$/;

function value(raw: string): string | number | undefined {
  if (raw.startsWith('"')) return raw.replace(/^"|"$/g, '');
  if (/^-?\d+$/.test(raw)) return Number(raw);
  if (/^0x[0-9a-f]+$/i.test(raw)) return parseInt(raw, 16);
  return undefined; // <data>, dictionaries, booleans: not needed
}

export function parseIoreg(text: string): UsbDevice[] {
  const nodes: Array<{ name: string; props: Map<string, string | number> }> = [];
  for (const line of text.split(/\r?\n/)) {
    const node = NODE.exec(line);
    if (node) {
      nodes.push({ name: node[1], props: new Map() });
      continue;
    }
    const prop = PROP.exec(line);
    const current = nodes[nodes.length - 1];
    if (prop && current) {
      const v = value(prop[2]);
      if (v !== undefined) current.props.set(prop[1], v);
    }
  }
  const str = (p: Map<string, string | number>, ...keys: string[]) => {
    for (const k of keys) {
      const v = p.get(k);
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
  const devices: UsbDevice[] = [];
  for (const { name, props } of nodes) {
    const vid = props.get('idVendor');
    const pid = props.get('idProduct');
    if (typeof vid !== 'number' || typeof pid !== 'number') continue; // controllers, hubs' ports
    const location = props.get('locationID');
    devices.push({
      vid: hex4(vid), pid: hex4(pid),
      manufacturer: str(props, 'USB Vendor Name', 'kUSBVendorString'),
      product: str(props, 'USB Product Name', 'kUSBProductString') ?? name.replace(/@.*$/, ''),
      serial: str(props, 'USB Serial Number', 'kUSBSerialNumberString'),
      location: typeof location === 'number' ? `0x${location.toString(16).padStart(8, '0')}` : undefined,
      source: 'ioreg',
    });
  }
  return devices;
}
