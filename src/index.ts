// What a Node program embedding kyso-bridge imports: the daemon (start it with your own options
// or dialogs), the core's seams (credential providers, dialogs, grants), the typed errors, the
// certificate validator, and the portal verifier (also at 'kyso-bridge/portal').
export { startBridge, type BridgeOptions, type RunningBridge } from './daemon/assemble.js';
export { BridgeService, type CallContext, type CertificateWithStatus, type SignHashParams, type SignHashResult } from './core/bridge-service.js';
export type {
  Authorization, Credential, CredentialProvider, DigestSignRequest, SignAlgorithm, SignOptions, UnlockMethod,
} from './core/credentials.js';
export type { ChooseCertificateRequest, ConsentCertificate, ConsentRequest, Dialogs, PinRequest } from './core/dialogs.js';
export { GRANTS, type Grant, type GrantSource } from './core/grants.js';
export { KysoError, isKysoError, ERROR_CODES, type ErrorCode } from './errors.js';
export type { CertificateJson, HashAlgorithm, IdentityJson, PinState, TokenJson } from './types.js';
export { validateCertificate, type CertificateStatus, type ValidateOptions } from './certs/index.js';
export { AUTH_FORMAT, authMessage, type AuthToken } from './proof/auth-proof.js';
export { VERSION } from './version.js';
export * as portal from './portal/index.js';
