// Optional PIN cache: after a PIN entry a token may stay unlocked for one origin for a short
// window (config pinCacheSeconds). Login is container-wide, so the cache remembers which origin
// owns it; any other origin's request locks and asks again. It spares the PIN, never a consent.
import type { CredentialProvider } from './credentials.js';

interface Entry { owner: string; expires: number; timer: NodeJS.Timeout; provider: CredentialProvider }

export class PinCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly windowMs: number) {}

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /** True when `origin` may use the unlocked token without typing the PIN again. */
  valid(tokenId: string, origin: string): boolean {
    const e = this.entries.get(tokenId);
    return !!e && e.owner === origin && e.expires > Date.now() && e.provider.isUnlocked(tokenId);
  }

  remember(provider: CredentialProvider, tokenId: string, origin: string): void {
    if (!this.enabled) return;
    this.forget(tokenId);
    const timer = setTimeout(() => {
      this.entries.delete(tokenId);
      void Promise.resolve(provider.lock(tokenId)).catch(() => undefined);
    }, this.windowMs);
    timer.unref();
    this.entries.set(tokenId, { owner: origin, expires: Date.now() + this.windowMs, timer, provider });
  }

  forget(tokenId: string): void {
    const e = this.entries.get(tokenId);
    if (!e) return;
    clearTimeout(e.timer);
    this.entries.delete(tokenId);
  }

  /** Locks what is cached for one site, or everything (shutdown). */
  async clear(owner?: string): Promise<void> {
    const all = [...this.entries].filter(([, e]) => owner === undefined || e.owner === owner);
    for (const [id] of all) this.forget(id);
    await Promise.all(all.map(([id, e]) => Promise.resolve(e.provider.lock(id)).catch(() => undefined)));
  }
}
