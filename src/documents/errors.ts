// Errors of the document layer are the bridge's own KysoError, with the public codes the issue
// names (texts in the one table): the core passes them on as they are. `detail` says exactly
// what was wrong, in English, for logs and replies.
import { KysoError, isKysoError, type ErrorData } from '../errors.js';

export const DOCUMENT_ERROR_CODES = [
  'DOCUMENT_INVALID', 'DOCUMENT_TOO_LARGE', 'TSA_UNAVAILABLE', 'REVOCATION_UNAVAILABLE', 'CERTIFICATE_INVALID', 'INVALID_PARAMS',
] as const;
export type DocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[number];

export interface DocumentErrorData extends ErrorData {
  /** REVOCATION_UNAVAILABLE: the subject of the certificate whose status could not be had. */
  certificate?: string;
  /** TSA_UNAVAILABLE: the TSA asked. */
  tsa?: string;
}

export function documentError(code: DocumentErrorCode, detail: string, data: DocumentErrorData = {}): KysoError {
  return new KysoError(code, data, detail);
}

/** A refusal of the document layer (as opposed to a bug or an I/O failure elsewhere). */
export function isDocumentError(e: unknown, code?: DocumentErrorCode): e is KysoError & { detail: string } {
  return isKysoError(e) && (DOCUMENT_ERROR_CODES as readonly string[]).includes(e.code) && (code === undefined || e.code === code);
}

export const invalidDocument = (detail: string, data?: DocumentErrorData): KysoError => documentError('DOCUMENT_INVALID', detail, data);
export const invalidParams = (detail: string): KysoError => documentError('INVALID_PARAMS', detail);
