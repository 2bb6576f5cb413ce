// Server challenges for "Đăng ký / Đăng nhập bằng USB ký số": 256 random bits, single use,
// 5 minutes, bound to the portal session that asked for it.
import { createHash, randomBytes } from 'node:crypto';
import type { ChallengeStore } from './store.js';
import { SqliteChallengeStore } from './store-sqlite.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Used and expired challenges are remembered this long so a late replay still reads REPLAYED. */
export const CHALLENGE_RETENTION_MS = 24 * 3600_000;
/** Outstanding challenges per session (several tabs); bounds the work of one verification. */
export const MAX_OUTSTANDING_PER_SESSION = 8;

export interface Challenge {
  nonce: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface ChallengeOptions {
  store?: ChallengeStore;
  ttlMs?: number;
  /** Clock override (epoch ms), for tests. */
  now?: number;
}

let defaultStore: ChallengeStore | undefined;

/** The store used when none is passed: an in-process SQLite database unless replaced. */
export function defaultChallengeStore(): ChallengeStore {
  defaultStore ??= new SqliteChallengeStore();
  return defaultStore;
}

/** Replace the default store, e.g. with `new SqliteChallengeStore({file})` shared by workers. */
export function setDefaultChallengeStore(store: ChallengeStore): void {
  defaultStore = store;
}

export function sessionKeyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('base64url');
}

export async function createChallenge(sessionId: string, opts: ChallengeOptions = {}): Promise<Challenge> {
  if (typeof sessionId !== 'string' || sessionId.length === 0) throw new TypeError('createChallenge: sessionId is required');
  const store = opts.store ?? defaultChallengeStore();
  const now = opts.now ?? Date.now();
  const nonce = randomBytes(32).toString('base64url'); // 43 chars, what the bridge accepts (43–128)
  const expiresAt = now + (opts.ttlMs ?? CHALLENGE_TTL_MS);
  await store.prune(now - CHALLENGE_RETENTION_MS);
  await store.add({ nonce, sessionKey: sessionKeyOf(sessionId), createdAt: now, expiresAt }, MAX_OUTSTANDING_PER_SESSION);
  return { nonce, expiresAt };
}
