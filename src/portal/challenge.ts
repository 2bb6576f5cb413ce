// Server challenges for "Đăng ký / Đăng nhập bằng USB ký số": 256 random bits, single use,
// 5 minutes, bound to the portal session that asked for it. The caller passes the store: there
// is no process-global one (createPortalVerifier keeps one for a single-process portal).
import { createHash, randomBytes } from 'node:crypto';
import { StoreUnavailableError } from './errors.js';
import { CHALLENGE_TTL_MS, MAX_OUTSTANDING_PER_SESSION } from './limits.js';
import type { ChallengeStore } from './store.js';

export { CHALLENGE_TTL_MS, CHALLENGE_RETENTION_MS, MAX_OUTSTANDING_PER_SESSION } from './limits.js';

export interface Challenge {
  nonce: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface ChallengeOptions {
  store: ChallengeStore;
  ttlMs?: number;
  /** Clock override (epoch ms), for tests. */
  now?: number;
}

export function sessionKeyOf(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('base64url');
}

/** Runs one store call; any failure of the store becomes a StoreUnavailableError. */
export async function storeCall<T>(operation: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw new StoreUnavailableError(operation, e);
  }
}

export async function createChallenge(sessionId: string, opts: ChallengeOptions): Promise<Challenge> {
  if (typeof sessionId !== 'string' || sessionId.length === 0) throw new TypeError('createChallenge: sessionId is required');
  const store = opts?.store;
  if (!store) throw new TypeError('createChallenge: a store is required (createChallengeStore(url), or createPortalVerifier for one process)');
  const now = opts.now ?? Date.now();
  const nonce = randomBytes(32).toString('base64url'); // 43 chars, what the bridge accepts (43–128)
  const expiresAt = now + (opts.ttlMs ?? CHALLENGE_TTL_MS);
  const record = { nonce, sessionKey: sessionKeyOf(sessionId), createdAt: now, expiresAt };
  await storeCall('add', () => store.add(record, MAX_OUTSTANDING_PER_SESSION));
  return { nonce, expiresAt };
}
