// The periodic delete of records past their retention, for the stores that do not expire keys
// themselves (memory, SQLite, PostgreSQL). An unref'd timer: it never keeps a process alive.
import { CHALLENGE_RETENTION_MS, CLEANUP_INTERVAL_MS } from './limits.js';
import type { StoreOptions } from './store.js';

export class CleanupTimer {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(private readonly prune: (before: number) => unknown, private readonly opts: StoreOptions) {
    const every = opts.cleanupIntervalMs ?? CLEANUP_INTERVAL_MS;
    if (every > 0) {
      this.timer = setInterval(() => void this.run(), every);
      this.timer.unref();
    }
  }

  get retentionMs(): number {
    return this.opts.retentionMs ?? CHALLENGE_RETENTION_MS;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.prune(Date.now() - this.retentionMs);
    } catch {
      // The database is down: the next tick tries again; requests report the outage themselves.
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
