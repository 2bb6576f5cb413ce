// kyso-bridge/portal: the server half of "Đăng ký / Đăng nhập bằng USB ký số".
//   const store = await createChallengeStore('redis://…');      // or sqlite:, postgres://, memory:
//   const {nonce} = await createChallenge(sessionId, {store});  // give it to the page
//   const who = await verifyAuthToken(token, {expectedOrigin, sessionId, trustAnchors, revocation: 'prefer', store});
export { createChallenge, sessionKeyOf, CHALLENGE_TTL_MS, CHALLENGE_RETENTION_MS, MAX_OUTSTANDING_PER_SESSION } from './challenge.js';
export type { Challenge, ChallengeOptions } from './challenge.js';
export { createChallengeStore } from './store-url.js';
export type { CreateStoreOptions } from './store-url.js';
export { MemoryChallengeStore } from './store-memory.js';
export type { ChallengeStore, ChallengeRecord, NewChallenge, StoreOptions } from './store.js';
// Driver-backed stores are types here: their classes load with their drivers (createChallengeStore,
// or import 'kyso-bridge/portal/sqlite' | '/postgres' | '/redis').
export type { SqliteChallengeStore } from './store-sqlite.js';
export type { PostgresChallengeStore, PostgresStoreOptions } from './store-postgres.js';
export type { RedisChallengeStore, RedisStoreOptions } from './store-redis.js';
export { createPortalVerifier } from './portal-verifier.js';
export type { PortalVerifier, PortalVerifierOptions } from './portal-verifier.js';
export { verifyAuthToken } from './verify.js';
export type { VerifyOptions, VerifiedAuth } from './verify.js';
export { VerdictCache, MAX_VERDICT_TTL_MS } from './verdict-cache.js';
export type { VerifiedIdentity } from './identity.js';
export { AuthVerificationError, StoreUnavailableError, AUTH_CODES, CERTIFICATE_CODES, authMessage as authErrorMessage } from './errors.js';
export type { AuthVerificationCode, AuthCode, CertificateCode, FailureSource } from './errors.js';
export { AUTH_FORMAT, AUTH_ALGORITHMS, parseAuthToken, normalizeOrigin } from './token.js';
export type { AuthToken, AuthAlgorithm } from './token.js';
export { authMessage } from './signature.js';
export type { RevocationMode, TrustAnchorInput } from './validate.js';
