// The one text table: errors, validation results, dialogs, the portal verifier, documents —
// every user-facing text, in Vietnamese and English, looked up here by key.
import { ERROR_TEXTS, type ErrorTextKey } from './table-errors.js';
import { fill, type Lang } from './types.js';

export type { Lang } from './types.js';
export { fill } from './types.js';

/** An error code's message; PIN_INCORRECT names the tries left when the token tells. */
export function messageFor(key: string, lang: Lang, data: { retriesLeft?: number } = {}): string {
  const useRetries = key === 'PIN_INCORRECT' && typeof data.retriesLeft === 'number';
  const entry = ERROR_TEXTS[(useRetries ? 'PIN_INCORRECT_RETRIES' : key) as ErrorTextKey] ?? ERROR_TEXTS.INTERNAL;
  return fill(entry[lang], { n: data.retriesLeft });
}
