// The only XPath a caller may give: a path of element steps, each a plain name or
// `*[local-name()='name']`, joined by `/` or `//`, at most 256 characters, matched by local name
// by our own walk over the DOM: nothing else of XPath (functions, predicates, axes, unions) is
// ever evaluated.
import { invalidParams } from './errors.js';

export const MAX_XPATH_LENGTH = 256;
const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const STEP = new RegExp(`^(?:(${NAME})|\\*\\[local-name\\((?:\\.)?\\)\\s*=\\s*(?:'(${NAME})'|"(${NAME})")\\])$`);

/** Element local names in a restricted path, with the separator before each ('/' or '//'). */
export function parseRestrictedXPath(path: string): { axis: '/' | '//'; name: string }[] {
  if (typeof path !== 'string' || path.length === 0) throw invalidParams('empty XPath');
  if (path.length > MAX_XPATH_LENGTH) throw invalidParams(`XPath longer than ${MAX_XPATH_LENGTH} characters`);
  const steps: { axis: '/' | '//'; name: string }[] = [];
  let rest = path.startsWith('/') ? path : `//${path}`;
  while (rest.length > 0) {
    const axis = rest.startsWith('//') ? '//' : rest.startsWith('/') ? '/' : undefined;
    if (!axis) throw invalidParams(`XPath: expected '/' at "${rest.slice(0, 20)}"`);
    rest = rest.slice(axis.length);
    const end = nextSeparator(rest);
    const m = STEP.exec(rest.slice(0, end));
    if (!m) throw invalidParams(`XPath: only element names and *[local-name()='…'] steps are allowed, not "${rest.slice(0, end).slice(0, 40)}"`);
    steps.push({ axis, name: m[1] ?? m[2] ?? m[3] });
    rest = rest.slice(end);
  }
  return steps;
}

/** End of the current step: the next '/' outside quotes and brackets. */
function nextSeparator(s: string): number {
  let quote = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '/' && depth === 0) return i;
  }
  return s.length;
}

