// "Did the set of USB devices change since the last look?" — the hardware half of hot-plug.
// Linux: one readdir of <sysfs>/bus/usb/devices per look (entries such as "1-2" come and go
// with devices), and the full listing only when that changed: cheap enough for every poll.
// macOS/Windows: listing spawns ioreg/PowerShell, so it runs at a slower cadence (Windows off by
// default: PowerShell costs ~1 s of CPU per run; slot polling and periodic rescans cover it).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { listUsbDevices, sysfsRoot, type UsbDevice } from './usb/index.js';

export interface UsbChange {
  added: UsbDevice[];
  removed: UsbDevice[];
}

export interface UsbChangeOptions {
  platform?: NodeJS.Platform;
  /** Linux: sysfs root (default KYSO_SYSFS_ROOT or /sys, read at each look). */
  sysfsRoot?: string;
  /** Minimum time between two looks on macOS/Windows (ms); 0 disables them there. */
  slowListingMs?: number;
  /** Injectable for tests. */
  list?: () => Promise<UsbDevice[]>;
}

const DEFAULT_SLOW_MS: Partial<Record<NodeJS.Platform, number>> = { darwin: 5_000, win32: 0 };

function keyOf(d: UsbDevice): string {
  return `${d.vid}:${d.pid}:${d.location ?? ''}:${d.serial ?? ''}`;
}

export class UsbChangeDetector {
  private readonly platform: NodeJS.Platform;
  private readonly slowMs: number;
  private dirKey?: string;
  private devices?: Map<string, UsbDevice>;
  private lastSlowLook = 0;

  constructor(private readonly opts: UsbChangeOptions = {}) {
    this.platform = opts.platform ?? process.platform;
    this.slowMs = opts.slowListingMs ?? DEFAULT_SLOW_MS[this.platform] ?? 0;
  }

  private get sysfs(): boolean {
    return this.platform !== 'darwin' && this.platform !== 'win32';
  }

  /** Devices seen at the last full listing (undefined before the first). */
  current(): UsbDevice[] | undefined {
    return this.devices ? [...this.devices.values()] : undefined;
  }

  /**
   * The change since the previous call, or undefined when nothing changed or this is the first
   * look (the baseline). Never throws: a failing OS tool reads as "no news".
   */
  async poll(now = Date.now()): Promise<UsbChange | undefined> {
    try {
      if (this.sysfs) {
        const key = await this.sysfsKey();
        if (key === this.dirKey) return undefined;
        this.dirKey = key;
      } else {
        if (this.slowMs <= 0 || now - this.lastSlowLook < this.slowMs) return undefined;
        this.lastSlowLook = now;
      }
      return this.compare(await this.listAll());
    } catch {
      return undefined;
    }
  }

  private async sysfsKey(): Promise<string> {
    const dir = join(this.opts.sysfsRoot ?? sysfsRoot(), 'bus', 'usb', 'devices');
    try {
      return (await readdir(dir)).sort().join('\n');
    } catch {
      return ''; // no USB bus (container): an empty set, not an error
    }
  }

  private listAll(): Promise<UsbDevice[]> {
    if (this.opts.list) return this.opts.list();
    return listUsbDevices({ platform: this.platform, sysfsRoot: this.opts.sysfsRoot });
  }

  private compare(list: UsbDevice[]): UsbChange | undefined {
    const next = new Map(list.map((d) => [keyOf(d), d]));
    const before = this.devices;
    this.devices = next;
    if (!before) return undefined;
    const added = [...next].filter(([k]) => !before.has(k)).map(([, d]) => d);
    const removed = [...before].filter(([k]) => !next.has(k)).map(([, d]) => d);
    return added.length || removed.length ? { added, removed } : undefined;
  }
}
