// Keeps the token list current: cheap slot polling every second, and — only while no token is
// logged in or busy — a module re-initialisation now and then, because some drivers (SoftHSM)
// show tokens that appeared after start only after C_Finalize/C_Initialize.
import type { TokenManager } from '../pkcs11/token-manager.js';
import { TOKEN_POLL_MS } from './limits.js';

export const RESCAN_EVERY_POLLS = 5;

export class TokenWatcher {
  private timer?: NodeJS.Timeout;
  private polls = 0;
  private busy = false;

  constructor(private readonly tokens: TokenManager, private readonly pollMs = TOKEN_POLL_MS) {}

  start(): void {
    if (this.timer || this.pollMs <= 0) return;
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

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.polls++;
      const rescan = this.polls % RESCAN_EVERY_POLLS === 0 && this.idle();
      await this.tokens.refresh({ rescan });
    } catch {
      // A driver hiccup must not stop watching; the next tick tries again.
    } finally {
      this.busy = false;
    }
  }
}
