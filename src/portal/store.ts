// Where challenges live between createChallenge and verifyAuthToken. Pluggable so a portal
// with several processes can share one database; every method may be sync or async.

export interface ChallengeRecord {
  nonce: string;
  /** SHA-256 of the portal session id (session ids are secrets: never stored as is). */
  sessionKey: string;
  createdAt: number;
  expiresAt: number;
  /** When verifyAuthToken used it; null while outstanding. */
  consumedAt: number | null;
}

type MaybePromise<T> = T | Promise<T>;

export interface ChallengeStore {
  /** Stores a fresh challenge; keeps at most maxOutstanding unconsumed ones per session (drops the oldest). */
  add(record: Omit<ChallengeRecord, 'consumedAt'>, maxOutstanding: number): MaybePromise<void>;
  /** Every record of the session still retained (outstanding, consumed and expired), oldest first. */
  forSession(sessionKey: string): MaybePromise<ChallengeRecord[]>;
  /** Atomically marks the nonce used; false when it was already used, expired, or belongs to another session. */
  consume(nonce: string, sessionKey: string, at: number): MaybePromise<boolean>;
  /** Whether a verified token with this fingerprint was seen (in any session). */
  isTokenUsed(key: string): MaybePromise<boolean>;
  /** Records a token fingerprint; false when it was recorded before (a replay). */
  markTokenUsed(key: string, at: number): MaybePromise<boolean>;
  /** Forgets records older than the cutoff (consumed or expired ones are kept a while to report REPLAYED/NONCE_EXPIRED). */
  prune(before: number): MaybePromise<void>;
  close?(): MaybePromise<void>;
}

/** In-process store: tests and single-process portals. */
export class MemoryChallengeStore implements ChallengeStore {
  private readonly records = new Map<string, ChallengeRecord>();
  private readonly usedTokens = new Map<string, number>();

  add(record: Omit<ChallengeRecord, 'consumedAt'>, maxOutstanding: number): void {
    this.records.set(record.nonce, { ...record, consumedAt: null });
    const open = [...this.records.values()].filter((r) => r.sessionKey === record.sessionKey && r.consumedAt === null);
    open.sort((a, b) => a.createdAt - b.createdAt);
    for (const r of open.slice(0, Math.max(0, open.length - maxOutstanding))) this.records.delete(r.nonce);
  }

  forSession(sessionKey: string): ChallengeRecord[] {
    return [...this.records.values()].filter((r) => r.sessionKey === sessionKey).map((r) => ({ ...r }));
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

  prune(before: number): void {
    for (const [k, r] of this.records) if (Math.max(r.expiresAt, r.consumedAt ?? 0) < before) this.records.delete(k);
    for (const [k, at] of this.usedTokens) if (at < before) this.usedTokens.delete(k);
  }
}
