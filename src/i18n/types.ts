// The shape of the one text table: every user-facing text, Vietnamese first, then English.
export type Lang = 'vi' | 'en';

export interface Text { vi: string; en: string }
export type Texts = Record<string, Text>;

/** Fills {name} placeholders; a missing value leaves an empty string, never "undefined". */
export function fill(template: string, vars: Record<string, string | number | undefined> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === undefined ? '' : String(vars[k])));
}
