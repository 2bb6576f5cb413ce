// Limits of documents on the JSON-RPC API (docs/protocol.md "Documents"). They follow from the
// 64 KiB frame cap, which is never raised: a chunk travels as base64 inside a JSON-RPC frame.

/** Largest document sent inline in sign.document (decoded); larger ones go through document.*. */
export const INLINE_MAX_BYTES = 45 * 1024;
/**
 * Bytes per document.put / document.get: 45 KiB is 61 440 base64 characters, which leaves more
 * than 4 KiB of the 64 KiB frame for the JSON around it (a 128-character id included).
 */
export const CHUNK_BYTES = 45 * 1024;
/** Uploads begun and not yet ended, per connection; one more is answered BUSY. */
export const MAX_UPLOADS_IN_PROGRESS = 2;
/**
 * Bytes all connections together may hold in uploads, as a multiple of maxDocumentBytes: memory
 * stays bounded however many pages upload at once (more is answered BUSY until some are released).
 */
export const UPLOAD_BUDGET_DOCUMENTS = 4;
