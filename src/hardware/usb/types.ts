// One USB device as the OS reports it, whatever the OS: the shape every lister returns.

export interface UsbDevice {
  /** Vendor id, 4 lowercase hex digits ("096e"). */
  vid: string;
  /** Product id, 4 lowercase hex digits ("0807"). */
  pid: string;
  manufacturer?: string;
  product?: string;
  serial?: string;
  /** Where the OS puts it: sysfs name ("1-2"), ioreg locationID, Windows instance id. */
  location?: string;
  source: 'sysfs' | 'ioreg' | 'pnp';
}

/** Runs a command and gives its stdout; injectable so parsers are tested on recorded outputs. */
export type CommandRunner = (file: string, args: string[]) => Promise<string>;

export function hex4(n: number | string): string {
  const s = typeof n === 'number' ? n.toString(16) : n.trim().toLowerCase().replace(/^0x/, '');
  return s.padStart(4, '0').slice(-4);
}
