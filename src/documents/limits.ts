// Limits of the document layer that callers need without loading its engines.
/** Largest document signed by default (config `maxDocumentBytes`). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
