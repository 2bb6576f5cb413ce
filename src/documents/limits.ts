// Limits of the document layer that callers need without loading its engines.
/** Largest document signed by default (config `maxDocumentBytes`). */
export const DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Levels each format signs at: XML-DSig B only, CMS B/T, PAdES B/T/LT. */
export const LEVELS_BY_FORMAT = { xmldsig: ['B'], cms: ['B', 'T'], pades: ['B', 'T', 'LT'] } as const satisfies Record<string, readonly string[]>;
