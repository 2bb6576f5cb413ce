// In-process store: tests and single-process portals. Indexed by session so add and forSession
// cost what one session holds, not the whole table.
import { CleanupTimer } from './cleanup.js';
import type { ChallengeRecord, ChallengeStore, NewChallenge, StoreOptions } from './store.js';

export class MemoryChallengeStore implements ChallengeStore {
  private readonly records = new Map<string, ChallengeRecord>();
  private readonly sessions = new Map<string, Set<string>>();
  private readonly usedTokens = new Map<string, number>();
  private seq = 0;
  private readonly order = new Map<string, number>();
  private readonly cleanup: CleanupTimer;

  constructor(opts: StoreOptions = {}) {
    this.cleanup = new CleanupTimer((before) => this.prune(before), opts);
  }

  private ofSession(sessionKey: string): ChallengeRecord[] {
    const nonces = [...(this.sessions.get(sessionKey) ?? [])];
    return nonces.map((n) => this.records.get(n)!)
      .sort((a, b) => a.createdAt - b.createdAt || this.order.get(a.nonce)! - this.order.get(b.nonce)!);
  }

  private delete(nonce: string): void {
    const r = this.records.get(nonce);
    if (!r) return;
    this.records.delete(nonce);
    this.order.delete(nonce);
    const set = this.sessions.get(r.sessionKey);
    set?.delete(nonce);
    if (set?.size === 0) this.sessions.delete(r.sessionKey);
  }

  add(record: NewChallenge, maxOutstanding: number): void {
    this.records.set(record.nonce, { ...record, consumedAt: null });
    this.order.set(record.nonce, this.seq++);
    let set = this.sessions.get(record.sessionKey);
    if (!set) this.sessions.set(record.sessionKey, (set = new Set()));
    set.add(record.nonce);
    const open = this.ofSession(record.sessionKey).filter((r) => r.consumedAt === null);
    for (const r of open.slice(0, Math.max(0, open.length - maxOutstanding))) this.delete(r.nonce);
  }

  forSession(sessionKey: string): ChallengeRecord[] {
    return this.ofSession(sessionKey).map((r) => ({ ...r }));
  }

  consume(nonce: string, sessionKey: string, at: number): boolean {
    const r = this.records.get(nonce);
    if (!r || r.sessionKey !== sessionKey || r.consumedAt !== null || r.expiresAt <= at) return false;
    r.consumedAt = at;
    return true;
  }

  isTokenUsed(key: string): boolean {
    return this.usedTokens.has(key);
  }

  markTokenUsed(key: string, at: number): boolean {
    if (this.usedTokens.has(key)) return false;
    this.usedTokens.set(key, at);
    return true;
  }

  /** consumedAt is always before expiresAt, so a record has ended when its expiry is past. */
  prune(before: number): void {
    for (const [k, r] of this.records) if (r.expiresAt < before) this.delete(k);
    for (const [k, at] of this.usedTokens) if (at < before) this.usedTokens.delete(k);
  }

  ping(): void {}

  close(): void {
    this.cleanup.stop();
  }
}
