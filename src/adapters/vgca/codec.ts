// VGCA Sign Service replies: one JSON text per socket with a numeric `Status` (0 = success);
// failures carry the reason in both `Error` and `Message` (portals read one or the other).
import { KysoError, isKysoError, type ErrorCode } from '../../errors.js';
import type { Lang } from '../../i18n/messages.js';

/**
 * Non-zero Status values. The vendor's numbers are not public (portals only test `Status === 0`),
 * so these are ours, one per kind of failure, documented in docs/compat.md.
 */
export const VGCA_STATUS = {
  OK: 0, CANCELLED: 1, NOT_ALLOWED: 2, BAD_INPUT: 3, NO_CERTIFICATE: 4, FAILED: 5, NOT_SUPPORTED: 6, SERVER_FILE_REFUSED: 7,
} as const;

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  USER_CANCELLED: VGCA_STATUS.CANCELLED, TIMEOUT: VGCA_STATUS.CANCELLED,
  ORIGIN_NOT_ALLOWED: VGCA_STATUS.NOT_ALLOWED,
  INVALID_PARAMS: VGCA_STATUS.BAD_INPUT, DOCUMENT_INVALID: VGCA_STATUS.BAD_INPUT, DOCUMENT_TOO_LARGE: VGCA_STATUS.BAD_INPUT,
  TOKEN_NOT_PRESENT: VGCA_STATUS.NO_CERTIFICATE, CERTIFICATE_NOT_FOUND: VGCA_STATUS.NO_CERTIFICATE,
  CERTIFICATE_INVALID: VGCA_STATUS.NO_CERTIFICATE, KEY_NOT_FOUND: VGCA_STATUS.NO_CERTIFICATE,
};

/** A refusal that is the protocol's own (unsupported endpoint, a server URL not allowed). */
export class VgcaRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function okReply(fields: Record<string, unknown>): string {
  return JSON.stringify({ Status: VGCA_STATUS.OK, ...fields });
}

export function errorReply(e: unknown, lang: Lang): string {
  if (e instanceof VgcaRefusal) return JSON.stringify({ Status: e.status, Error: e.message, Message: e.message });
  const err = isKysoError(e) ? e : new KysoError('INTERNAL');
  // Bad input names the field, so the portal's developer sees what to fix.
  const message = err.detail && ['INVALID_PARAMS', 'DOCUMENT_INVALID'].includes(err.code) ? `${err.localized(lang)} (${err.detail})` : err.localized(lang);
  return JSON.stringify({ Status: STATUS_OF[err.code] ?? VGCA_STATUS.FAILED, Error: message, Message: message, Code: err.code });
}
