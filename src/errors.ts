// One typed error for every code the bridge reports. Codes are the public contract
// (CLI JSON, JSON-RPC error.data.code, SDK error classes); messages come from i18n.
import { messageFor, type Lang } from './i18n/messages.js';

export const ERROR_CODES = [
  'ORIGIN_NOT_ALLOWED', 'USER_CANCELLED', 'PIN_INCORRECT', 'PIN_LOCKED', 'PIN_LEN_RANGE',
  'TOKEN_NOT_PRESENT', 'TOKEN_REMOVED', 'CERTIFICATE_NOT_FOUND', 'CERTIFICATE_INVALID',
  'KEY_NOT_FOUND', 'MECHANISM_INVALID', 'INVALID_PARAMS', 'BUSY', 'TIMEOUT', 'DRIVER_ERROR', 'INTERNAL',
  'DOCUMENT_INVALID', 'DOCUMENT_TOO_LARGE', 'DOCUMENT_NOT_FOUND', 'UPLOAD_INCOMPLETE', 'TSA_UNAVAILABLE', 'REVOCATION_UNAVAILABLE',
  'BRIDGE_STOPPED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorData {
  /** Tries left before the token locks, when the token tells (PKCS#11 only gives 1 or 0). */
  retriesLeft?: number;
  /** Raw CKR_* name behind a token error, for support staff. */
  ckr?: string;
  [key: string]: unknown;
}

export class KysoError extends Error {
  readonly code: ErrorCode;
  readonly data: ErrorData;
  /** What exactly went wrong (a field, a CKR name), in English, for logs and bad-input replies. */
  readonly detail?: string;

  constructor(code: ErrorCode, data: ErrorData = {}, detail?: string) {
    super(detail ? `${messageFor(code, 'en', data)} (${detail})` : messageFor(code, 'en', data));
    this.name = 'KysoError';
    this.code = code;
    this.data = data;
    this.detail = detail;
  }

  /** The user-facing message: Vietnamese by default. */
  localized(lang: Lang = 'vi'): string {
    return messageFor(this.code, lang, this.data);
  }
}

export function isKysoError(e: unknown, code?: ErrorCode): e is KysoError {
  return e instanceof KysoError && (code === undefined || e.code === code);
}
