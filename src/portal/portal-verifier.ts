// createPortalVerifier: the store, the portal's settings and a verdict cache in one object, so a
// portal (or the verifier service) calls challenge(sessionId) and verify(sessionId, token).
// With no store it keeps challenges in memory: right for one process, wrong for several.
import { createChallenge, type Challenge } from './challenge.js';
import type { ChallengeStore } from './store.js';
import { createChallengeStore, type CreateStoreOptions } from './store-url.js';
import type { FetchLike, RevocationMode, TrustAnchorInput } from './validate.js';
import { VerdictCache } from './verdict-cache.js';
import { verifyAuthToken, type VerifiedAuth } from './verify.js';

export interface PortalVerifierOptions {
  expectedOrigin: string;
  trustAnchors: TrustAnchorInput[];
  /** Default 'prefer'. */
  revocation?: RevocationMode;
  /** A store, or its URL (memory:, sqlite:…, postgres://…, redis://…); default memory:. */
  store?: ChallengeStore | string;
  storeOptions?: CreateStoreOptions;
  /** Challenge lifetime (default 5 minutes). */
  challengeTtlMs?: number;
  /** Verdict reuse (≤ 60 s, default 60 s; 0 disables). */
  verdictTtlMs?: number;
  fetch?: FetchLike;
}

export interface PortalVerifier {
  readonly store: ChallengeStore;
  readonly verdicts: VerdictCache;
  challenge(sessionId: string): Promise<Challenge>;
  /** The verified identity, or AuthVerificationError / StoreUnavailableError. */
  verify(sessionId: string, token: unknown): Promise<VerifiedAuth>;
  close(): Promise<void>;
}

export async function createPortalVerifier(opts: PortalVerifierOptions): Promise<PortalVerifier> {
  const owned = typeof opts.store !== 'object';
  const store = typeof opts.store === 'object' ? opts.store : await createChallengeStore(opts.store, opts.storeOptions);
  const verdicts = new VerdictCache(opts.verdictTtlMs !== undefined ? { ttlMs: opts.verdictTtlMs } : {});
  const trustAnchors = [...opts.trustAnchors];
  return {
    store,
    verdicts,
    challenge: (sessionId) => createChallenge(sessionId, { store, ...(opts.challengeTtlMs ? { ttlMs: opts.challengeTtlMs } : {}) }),
    verify: (sessionId, token) => verifyAuthToken(token, {
      expectedOrigin: opts.expectedOrigin, sessionId, trustAnchors, revocation: opts.revocation ?? 'prefer',
      store, verdictCache: verdicts, ...(opts.fetch ? { fetch: opts.fetch } : {}),
    }),
    // A store passed in belongs to the caller; one made from a URL is closed here.
    close: async () => { if (owned) await store.close?.(); },
  };
}
