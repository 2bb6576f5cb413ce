// Optional PIN cache: after a PIN entry the token may stay logged in for one origin for a short
// window (config pinCacheSeconds). PKCS#11 login is token-wide, so the cache remembers which
// origin owns the login; any other origin's request logs out and asks again.
import type { Token } from '../pkcs11/token.js';

interface Entry { owner: string; expires: number; timer: NodeJS.Timeout; token: Token }

export class PinCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly windowMs: number) {}

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /** True when `origin` may use the logged-in `token` without dialogs now. */
  valid(token: Token, origin: string): boolean {
    const e = this.entries.get(token.id);
    return !!e && e.token === token && e.owner === origin && e.expires > Date.now() && token.loggedIn && !token.removed;
  }

  remember(token: Token, origin: string): void {
    if (!this.enabled) return;
    this.forget(token.id);
    const timer = setTimeout(() => {
      this.entries.delete(token.id);
      void token.logout().catch(() => undefined);
    }, this.windowMs);
    timer.unref();
    this.entries.set(token.id, { owner: origin, expires: Date.now() + this.windowMs, timer, token });
  }

  forget(tokenId: string): void {
    const e = this.entries.get(tokenId);
    if (!e) return;
    clearTimeout(e.timer);
    this.entries.delete(tokenId);
  }

  /** Logs out everything cached (shutdown, user asked to clear). */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    for (const e of all) this.forget(e.token.id);
    await Promise.all(all.map((e) => e.token.logout().catch(() => undefined)));
  }
}
