// The one text table: errors, validation results, dialogs, the portal verifier, documents —
// every user-facing text, in Vietnamese and English, looked up here by key.
import { DIALOG_TEXTS } from './table-dialogs.js';
import { DOCUMENT_TEXTS } from './table-documents.js';
import { ERROR_TEXTS, type ErrorTextKey } from './table-errors.js';
import { PORTAL_TEXTS } from './table-portal.js';
import { REASON_TEXTS, STATUS_TEXTS, WARNING_TEXTS } from './table-validation.js';
import { fill, type Lang, type Texts } from './types.js';

export type { Lang } from './types.js';
export { fill } from './types.js';

/** An error code's message; PIN_INCORRECT names the tries left when the token tells. */
export function messageFor(key: string, lang: Lang, data: { retriesLeft?: number } = {}): string {
  const useRetries = key === 'PIN_INCORRECT' && typeof data.retriesLeft === 'number';
  const entry = ERROR_TEXTS[(useRetries ? 'PIN_INCORRECT_RETRIES' : key) as ErrorTextKey] ?? ERROR_TEXTS.INTERNAL;
  return fill(entry[lang], { n: data.retriesLeft });
}

function prefixed(prefix: string, texts: Texts): Texts {
  return Object.fromEntries(Object.entries(texts).map(([k, v]) => [`${prefix}.${k}`, v]));
}

/**
 * Every user-facing text in one table, by area: `error.*` (daemon, CLI, SDK), `status.*` /
 * `warning.*` / `reason.*` (certificate validation), `dialog.*`, `portal.*` (verifier and its
 * service), `document.*`. The areas' own files hold the entries; this is where they meet.
 */
export const TEXT_TABLE: Texts = {
  ...prefixed('error', ERROR_TEXTS), ...prefixed('status', STATUS_TEXTS), ...prefixed('warning', WARNING_TEXTS),
  ...prefixed('reason', REASON_TEXTS), ...DIALOG_TEXTS, ...prefixed('portal', PORTAL_TEXTS), ...prefixed('document', DOCUMENT_TEXTS),
};

/** Any text of the table by key, {placeholders} filled. */
export function text(key: string, lang: Lang, vars?: Record<string, string | number | undefined>): string {
  const entry = TEXT_TABLE[key];
  return entry ? fill(entry[lang], vars) : key;
}
