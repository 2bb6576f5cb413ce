// The one typed error of the document layer. Codes are the public ones the issue names; the core
// maps a DocumentError onto its KysoError (same code, same data) and the texts live in
// src/i18n/document-texts.ts. `detail` says exactly what was wrong, in English, for logs and replies.
export const DOCUMENT_ERROR_CODES = [
  'DOCUMENT_INVALID', 'DOCUMENT_TOO_LARGE', 'TSA_UNAVAILABLE', 'REVOCATION_UNAVAILABLE', 'CERTIFICATE_INVALID', 'INVALID_PARAMS',
] as const;
export type DocumentErrorCode = (typeof DOCUMENT_ERROR_CODES)[number];

export interface DocumentErrorData {
  /** REVOCATION_UNAVAILABLE: the subject of the certificate whose status could not be had. */
  certificate?: string;
  /** TSA_UNAVAILABLE: the TSA asked. */
  tsa?: string;
  [key: string]: unknown;
}

export class DocumentError extends Error {
  readonly code: DocumentErrorCode;
  readonly detail: string;
  readonly data: DocumentErrorData;

  constructor(code: DocumentErrorCode, detail: string, data: DocumentErrorData = {}) {
    super(`${code}: ${detail}`);
    this.name = 'DocumentError';
    this.code = code;
    this.detail = detail;
    this.data = data;
  }
}

export function isDocumentError(e: unknown, code?: DocumentErrorCode): e is DocumentError {
  return e instanceof DocumentError && (code === undefined || e.code === code);
}

export const invalidDocument = (detail: string, data?: DocumentErrorData): DocumentError => new DocumentError('DOCUMENT_INVALID', detail, data);
export const invalidParams = (detail: string): DocumentError => new DocumentError('INVALID_PARAMS', detail);
