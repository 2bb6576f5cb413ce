// VNPT-CA result codes. Sign calls answer JSON `{code, data, error}` with the codes of VNPT's demo
// page; the Check* calls a bare code; getCertInfo `""` when the user cancels.
import { isKysoError, type ErrorCode } from '../../errors.js';
import type { Lang } from '../../i18n/messages.js';
import { jsonResult } from './codec.js';

export const SIGN_CODE = {
  OK: 0, BAD_INPUT: 1, CANNOT_READ_CERTIFICATE: 2, SIGNING_ERROR: 3, NO_PRIVATE_KEY: 4, UNKNOWN: 5, CANCELLED: 11,
} as const;

const SIGN_CODE_OF: Partial<Record<ErrorCode, number>> = {
  INVALID_PARAMS: SIGN_CODE.BAD_INPUT, DOCUMENT_INVALID: SIGN_CODE.BAD_INPUT, DOCUMENT_TOO_LARGE: SIGN_CODE.BAD_INPUT,
  CERTIFICATE_NOT_FOUND: SIGN_CODE.CANNOT_READ_CERTIFICATE, TOKEN_NOT_PRESENT: SIGN_CODE.CANNOT_READ_CERTIFICATE,
  CERTIFICATE_INVALID: SIGN_CODE.CANNOT_READ_CERTIFICATE, KEY_NOT_FOUND: SIGN_CODE.NO_PRIVATE_KEY,
  USER_CANCELLED: SIGN_CODE.CANCELLED, TIMEOUT: SIGN_CODE.CANCELLED,
  // Not the vendor's: "unknown" with our message saying the site lacks the permission.
  ORIGIN_NOT_ALLOWED: SIGN_CODE.UNKNOWN,
};

/** CheckValidTime / CheckOCSP / CheckCRL answers. */
export const CHECK_CODE = {
  OK: '0', UNKNOWN: '1', EXPIRED: '2', NOT_YET_VALID: '3', REVOKED: '4', STATUS_CHECK_FAILED: '6', UNTRUSTED: '7', CANNOT_READ_CERTIFICATE: '8',
} as const;

export function message(e: unknown, lang: Lang): string {
  if (!isKysoError(e)) return 'kyso-bridge: internal error';
  return e.detail && ['INVALID_PARAMS', 'DOCUMENT_INVALID'].includes(e.code) ? `${e.localized(lang)} (${e.detail})` : e.localized(lang);
}

export function signCodeOf(e: unknown): number {
  return isKysoError(e) ? SIGN_CODE_OF[e.code] ?? SIGN_CODE.SIGNING_ERROR : SIGN_CODE.UNKNOWN;
}

export function signOk(data: string, extra: Record<string, unknown> = {}): string {
  return jsonResult({ code: SIGN_CODE.OK, data, error: '', ...extra });
}

export function signError(e: unknown, lang: Lang): string {
  return jsonResult({ code: signCodeOf(e), data: '', error: message(e, lang) });
}

export function checkCodeOf(e: unknown): string {
  if (isKysoError(e, 'CERTIFICATE_NOT_FOUND') || isKysoError(e, 'TOKEN_NOT_PRESENT')) return CHECK_CODE.CANNOT_READ_CERTIFICATE;
  return CHECK_CODE.UNKNOWN;
}
