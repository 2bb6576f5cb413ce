// Library entry point of the certificate layer (daemon, CLI, portal verifier).
export { x509 } from './x509.js';
export { parseIdentity, identityJson, type Identity, type IdentityKind, type IdentityNumber } from './identity.js';
export { validateCertificate, quickStatus, type QuickOptions } from './validate.js';
export type { CertificateStatus, CertificateWarning, RevocationInfo, RevocationPolicy, ValidateOptions, StatusCode, WarningCode, Purpose, CertInput } from './types.js';
export { statusText, warningText } from '../i18n/table-validation.js';
export { parseCertificates, toCertificate, readCertificateFile, fingerprint256, colonHex, normalizeFingerprint } from './pem.js';
export { OFFICIAL_ROOTS, findPin, type RootPin } from './pins.js';
export { importRoot, importRootFile, listRoots, loadRootCertificates, RootImportError, type StoredRoot } from './roots-store.js';
export { TrustAnchors } from './trust.js';
export { ValidationCache, sharedCache } from './cache.js';
export { DEFAULT_TIMEOUT_MS, type FetchLike } from './fetcher.js';
export { DEFAULT_CLOCK_SKEW_MS, EXPIRING_SOON_DAYS } from './checks.js';
export { defaultRootsDir, defaultCacheDir, defaultIntermediatesDir } from './paths.js';
export { loadIntermediates } from './intermediates-store.js';
export { buildRequest as buildOcspRequest, checkResponse as checkOcspResponse } from './ocsp.js';
