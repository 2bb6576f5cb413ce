// A fair FIFO read/write queue. Token operations that may overlap (signing on separate sessions
// of an already logged-in token) run "shared" up to a limit; those that change token-wide state
// (C_Login/C_Logout, module re-initialisation) run "exclusive". This is what keeps many
// concurrent requests from ever meeting CKR_OPERATION_ACTIVE or a logout in the middle of a sign.
type Mode = 'shared' | 'exclusive';
interface Waiter { mode: Mode; start: () => void }

export class RwQueue {
  private active = 0;
  private exclusiveActive = false;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly maxShared = 4) {}

  get pending(): number {
    return this.waiting.length + this.active;
  }

  run<T>(mode: Mode, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        mode,
        start: () => {
          Promise.resolve().then(fn).then(resolve, reject).finally(() => this.release(mode));
        },
      });
      this.pump();
    });
  }

  private canStart(mode: Mode): boolean {
    if (this.exclusiveActive) return false;
    return mode === 'exclusive' ? this.active === 0 : this.active < this.maxShared;
  }

  private pump(): void {
    // Strict FIFO: a waiting exclusive job blocks later shared ones, so logins are not starved.
    while (this.waiting.length > 0 && this.canStart(this.waiting[0].mode)) {
      const w = this.waiting.shift()!;
      this.active++;
      if (w.mode === 'exclusive') this.exclusiveActive = true;
      w.start();
    }
  }

  private release(mode: Mode): void {
    this.active--;
    if (mode === 'exclusive') this.exclusiveActive = false;
    this.pump();
  }
}
