// Typed verification failures. Codes are the portal's contract: a page can map each to a screen.
// Certificate codes come straight from the validator (src/certs), with its wording, so a portal
// shows the same reason the bridge would.
import { statusText, type StatusCode } from '../i18n/table-validation.js';
import { PORTAL_TEXTS, portalText } from '../i18n/table-portal.js';

export const AUTH_CODES = [
  'BAD_FORMAT', 'ORIGIN_MISMATCH', 'NONCE_UNKNOWN', 'NONCE_EXPIRED', 'REPLAYED', 'BAD_SIGNATURE',
] as const;
export const CERTIFICATE_CODES = [
  'EXPIRED', 'NOT_YET_VALID', 'UNTRUSTED', 'REVOKED', 'KEY_USAGE', 'BAD_SIGNATURE', 'REVOCATION_UNKNOWN',
] as const;

export type AuthCode = (typeof AUTH_CODES)[number];
export type CertificateCode = (typeof CERTIFICATE_CODES)[number];
/** Any code a failed verification carries; validator codes not listed above pass through as string. */
export type AuthVerificationCode = AuthCode | CertificateCode | (string & {});
export type FailureSource = 'token' | 'certificate';

const isCertificateCode = (code: string): code is StatusCode => (CERTIFICATE_CODES as readonly string[]).includes(code);

/** The user-facing text of a code. BAD_SIGNATURE exists twice: the proof's, or (source 'certificate') the CA's. */
export function authMessage(code: string, lang: 'vi' | 'en' = 'vi', source?: FailureSource): string {
  const certificate = source === 'certificate' || (source === undefined && !(code in PORTAL_TEXTS));
  if (certificate && isCertificateCode(code)) return statusText(code, lang);
  return portalText(code, lang);
}

export class AuthVerificationError extends Error {
  readonly code: AuthVerificationCode;
  /** 'token' for proof/nonce failures, 'certificate' for validator failures (BAD_SIGNATURE exists in both). */
  readonly source: FailureSource;
  /** The validator's result when source is 'certificate'. */
  readonly certificateStatus?: unknown;

  constructor(code: AuthVerificationCode, opts: { source?: FailureSource; detail?: string; certificateStatus?: unknown } = {}) {
    const source = opts.source ?? 'token';
    super(opts.detail ? `${authMessage(code, 'en', source)} (${opts.detail})` : authMessage(code, 'en', source));
    this.name = 'AuthVerificationError';
    this.code = code;
    this.source = source;
    if (opts.certificateStatus !== undefined) this.certificateStatus = opts.certificateStatus;
  }

  /** The user-facing text, Vietnamese by default. */
  localized(lang: 'vi' | 'en' = 'vi'): string {
    return authMessage(this.code, lang, this.source);
  }
}

/**
 * The challenge store did not answer (database down, network cut, timeout). Nothing was accepted;
 * the caller answers "try again" (the verifier service: 503 STORE_UNAVAILABLE).
 */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(readonly operation: string, cause: unknown) {
    super(`challenge store unavailable during ${operation}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }

  localized(lang: 'vi' | 'en' = 'vi'): string {
    return portalText('STORE_UNAVAILABLE', lang);
  }
}
