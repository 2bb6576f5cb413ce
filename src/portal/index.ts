// kyso-bridge/portal: the server half of "Đăng ký / Đăng nhập bằng USB ký số".
//   const {nonce} = await createChallenge(sessionId);          // give it to the page
//   const who = await verifyAuthToken(token, {expectedOrigin, sessionId, trustAnchors, revocation: 'prefer'});
export { createChallenge, defaultChallengeStore, setDefaultChallengeStore, CHALLENGE_TTL_MS, CHALLENGE_RETENTION_MS, MAX_OUTSTANDING_PER_SESSION } from './challenge.js';
export type { Challenge, ChallengeOptions } from './challenge.js';
export { MemoryChallengeStore } from './store.js';
export type { ChallengeStore, ChallengeRecord } from './store.js';
export { SqliteChallengeStore } from './store-sqlite.js';
export { verifyAuthToken } from './verify.js';
export type { VerifyOptions, VerifiedAuth } from './verify.js';
export type { VerifiedIdentity } from './identity.js';
export { AuthVerificationError, AUTH_CODES, CERTIFICATE_CODES, authMessage as authErrorMessage } from './errors.js';
export type { AuthVerificationCode, AuthCode, CertificateCode } from './errors.js';
export { AUTH_FORMAT, AUTH_ALGORITHMS, parseAuthToken, normalizeOrigin } from './token.js';
export type { AuthToken, AuthAlgorithm } from './token.js';
export { authMessage } from './signature.js';
export type { RevocationMode, TrustAnchorInput } from './validate.js';
