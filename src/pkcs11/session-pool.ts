// A small pool of read-only sessions per token. Each signing operation owns one session for its
// whole C_SignInit..C_Sign, so concurrent signs never share an operation state.
import pkcs11js from 'pkcs11js';

export class SessionPool {
  private readonly idle: Buffer[] = [];
  private open = 0;

  constructor(private readonly p11: pkcs11js.PKCS11, private readonly slot: Buffer, private readonly maxIdle = 4) {}

  acquire(): Buffer {
    const s = this.idle.pop();
    if (s) return s;
    const session = this.p11.C_OpenSession(this.slot, pkcs11js.CKF_SERIAL_SESSION);
    this.open++;
    return session;
  }

  /** A session whose last call failed is closed, not reused: its operation state is unknown. */
  release(session: Buffer, healthy: boolean): void {
    if (healthy && this.idle.length < this.maxIdle) {
      this.idle.push(session);
      return;
    }
    this.open--;
    try { this.p11.C_CloseSession(session); } catch { /* token may be gone */ }
  }

  /** Run fn with a pooled session. */
  async with<T>(fn: (session: Buffer) => Promise<T> | T): Promise<T> {
    const session = this.acquire();
    let healthy = false;
    try {
      const r = await fn(session);
      healthy = true;
      return r;
    } finally {
      this.release(session, healthy);
    }
  }

  get openCount(): number {
    return this.open;
  }

  /** Forget every session; `close` false when the module was re-initialised (handles are dead). */
  drain(close: boolean): void {
    if (close) for (const s of this.idle) { try { this.p11.C_CloseSession(s); } catch { /* gone */ } }
    this.idle.length = 0;
    this.open = 0;
  }
}
