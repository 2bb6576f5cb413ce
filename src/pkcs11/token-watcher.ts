// Hot-plug: keeps the token list current so `tokens.changed` reaches pages within a second.
// - Slot polling every 500 ms (C_GetSlotList + C_GetTokenInfo: microseconds per token): a token
//   that leaves, or comes back on a driver that reports it, shows on the next poll.
// - USB changes (a sysfs readdir per poll on Linux): a device plugged or pulled triggers a module
//   re-initialisation (C_Finalize/C_Initialize) at once, and twice more while pcscd and the
//   driver settle — many drivers only see a new reader after C_Initialize.
// - A periodic re-initialisation (every 5 s) for drivers with no USB trace (SoftHSM).
// Re-initialising kills sessions and logins, so it only runs while no token is logged in or busy
// (Token objects survive it: see TokenManager.rebind). Timer-driven and unref'd: no busy loop.
import type { TokenManager } from '../pkcs11/token-manager.js';
import { UsbChangeDetector, type UsbChange } from '../hardware/hotplug-usb.js';
import type { Logger } from '../log.js';

export const HOTPLUG_POLL_MS = 500;
export const PERIODIC_RESCAN_MS = 5_000;
/** Extra re-initialisations after a USB change: pcscd needs a moment to see a new reader. */
export const USB_SETTLE_RESCANS_MS = [1_000, 3_000];

export interface TokenWatcherOptions {
  pollMs?: number;
  /** 0 disables the periodic re-initialisation (USB changes still trigger one). */
  rescanEveryMs?: number;
  /** false: no USB watching. */
  usb?: UsbChangeDetector | false;
  log?: Logger;
}

export class TokenWatcher {
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private lastRescan = Date.now();
  private rescanDue: number[] = [];
  private readonly pollMs: number;
  private readonly rescanEveryMs: number;
  private readonly usb: UsbChangeDetector | false;
  private readonly log?: Logger;
  /** Last USB change seen (for logs and `kyso-bridge doctor`-style reports). */
  lastUsbChange?: UsbChange & { at: number };

  constructor(private readonly tokens: TokenManager, opts: TokenWatcherOptions | number = {}) {
    const o = typeof opts === 'number' ? { pollMs: opts } : opts;
    this.pollMs = o.pollMs ?? HOTPLUG_POLL_MS;
    this.rescanEveryMs = o.rescanEveryMs ?? PERIODIC_RESCAN_MS;
    this.usb = o.usb ?? new UsbChangeDetector();
    this.log = o.log;
  }

  start(): void {
    if (this.timer || this.pollMs <= 0) return;
    void this.tick(); // baseline of the USB set right away
    this.timer = setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private idle(): boolean {
    return this.tokens.tokens().every((t) => !t.loggedIn && t.pending === 0);
  }

  private wantsRescan(now: number): boolean {
    if (this.rescanDue.some((t) => t <= now)) return true;
    return this.rescanEveryMs > 0 && now - this.lastRescan >= this.rescanEveryMs;
  }

  async tick(now = Date.now()): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const change = this.usb ? await this.usb.poll(now) : undefined;
      if (change) {
        this.lastUsbChange = { ...change, at: now };
        this.rescanDue.push(now, ...USB_SETTLE_RESCANS_MS.map((d) => now + d));
        this.log?.info({ added: change.added.map((d) => `${d.vid}:${d.pid}`), removed: change.removed.map((d) => `${d.vid}:${d.pid}`) }, 'USB devices changed');
      }
      // Not idle: the due re-initialisations wait (a token logged in by the PIN cache keeps its login).
      const rescan = this.wantsRescan(now) && this.idle();
      if (rescan) {
        this.lastRescan = now;
        this.rescanDue = this.rescanDue.filter((t) => t > now);
      }
      await this.tokens.refresh({ rescan });
    } catch {
      // A driver hiccup must not stop watching; the next tick tries again.
    } finally {
      this.ticking = false;
    }
  }
}
