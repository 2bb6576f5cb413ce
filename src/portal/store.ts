// Where challenges live between createChallenge and verifyAuthToken. Pluggable so a portal
// with several processes or machines can share one database; every method may be sync or async.
// Single use is the store's promise: consume and markTokenUsed must be atomic in the database.

export interface ChallengeRecord {
  nonce: string;
  /** SHA-256 of the portal session id (session ids are secrets: never stored as is). */
  sessionKey: string;
  createdAt: number;
  expiresAt: number;
  /** When verifyAuthToken used it; null while outstanding. */
  consumedAt: number | null;
}

export type NewChallenge = Omit<ChallengeRecord, 'consumedAt'>;

type MaybePromise<T> = T | Promise<T>;

export interface ChallengeStore {
  /** Stores a fresh challenge; atomically keeps at most maxOutstanding unconsumed ones per session (drops the oldest). */
  add(record: NewChallenge, maxOutstanding: number): MaybePromise<void>;
  /** Every record of the session still retained (outstanding, consumed and expired), oldest first. */
  forSession(sessionKey: string): MaybePromise<ChallengeRecord[]>;
  /** Atomically marks the nonce used; false when it was already used, expired, or belongs to another session. */
  consume(nonce: string, sessionKey: string, at: number): MaybePromise<boolean>;
  /** Whether a verified token with this fingerprint was seen (in any session). */
  isTokenUsed(key: string): MaybePromise<boolean>;
  /** Atomically records a token fingerprint; false when it was recorded before (a replay). */
  markTokenUsed(key: string, at: number): MaybePromise<boolean>;
  /**
   * Forgets records that ended before the cutoff. The built-in stores run it on their own timer
   * (or let Redis expire keys); it is never called per request.
   */
  prune?(before: number): MaybePromise<void>;
  /** Resolves when the database answers (health checks). */
  ping?(): MaybePromise<void>;
  close?(): MaybePromise<void>;
}

/** Options every built-in store takes. */
export interface StoreOptions {
  /** How long used/expired records are kept (default 24 h); must exceed the challenge lifetime. */
  retentionMs?: number;
  /** How often expired records are deleted (SQL and memory stores; default 60 s; 0 = never, call prune yourself). */
  cleanupIntervalMs?: number;
}
