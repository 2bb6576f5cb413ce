// Puts the signature into the original text instead of re-serialising the document, so every byte
// outside the inserted <Signature> stays as it was (declaration, quotes, entities, whitespace).
// Element positions come from the XML parser's locator (line/column); only the element's own
// tags are scanned here, never the document's structure.
import { DOMParser } from '@xmldom/xmldom';
import { invalidDocument } from './errors.js';

type Located = { lineNumber?: number; columnNumber?: number; nextSibling: Located | null; parentNode: Located | null; nodeType: number; tagName?: string };

export interface LocatedText {
  text: string;
  /** String offset of each line start; a line ends at \n, \r\n or \r (XML normalises all three). */
  lineStarts: number[];
}

export function locate(text: string): LocatedText {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (c === 0x0a || c === 0x0d) lineStarts.push(i + 1);
  }
  return { text, lineStarts };
}

/** Parses strictly: any parser error or warning makes the document invalid. */
export function parseXml(text: string): Document {
  const errors: string[] = [];
  const parser = new DOMParser({ onError: (level: string, msg: string) => { if (level !== 'warning') errors.push(msg); } });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml') as unknown as Document;
  } catch (e) {
    throw invalidDocument(`XML: ${(e as Error).message}`);
  }
  if (errors.length || !doc?.documentElement) throw invalidDocument(`XML: ${errors[0] ?? 'no root element'}`);
  return doc;
}

function offsetOf(loc: LocatedText, node: Located): number {
  if (!node.lineNumber || !node.columnNumber) throw new Error('parser gave no position for a node');
  return loc.lineStarts[node.lineNumber - 1] + node.columnNumber - 1;
}

/** End of the start tag that begins at `start` ('<'), skipping quoted attribute values. */
function startTagEnd(text: string, start: number): { end: number; selfClosing: boolean } {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '>') return { end: i, selfClosing: text[i - 1] === '/' };
  }
  throw new Error('unterminated start tag');
}

/** Where whatever follows `node` begins: its next located sibling, else its parent's end tag. */
function followingStart(loc: LocatedText, node: Located): number {
  for (let s = node.nextSibling; s; s = s.nextSibling) if (s.lineNumber) return offsetOf(loc, s);
  const parent = node.parentNode;
  if (!parent || parent.nodeType !== 1) return loc.text.length;
  return endTagStart(loc, parent);
}

/** Offset of the element's end tag `</name`. */
function endTagStart(loc: LocatedText, el: Located): number {
  const at = loc.text.lastIndexOf(`</${el.tagName}`, followingStart(loc, el));
  if (at < 0) throw new Error(`no end tag for ${el.tagName}`);
  return at;
}

/** The text with `insert` as the last content of `element` (an element of the parse of `loc.text`). */
export function appendInside(loc: LocatedText, element: Element, insert: string): string {
  const el = element as unknown as Located;
  const start = offsetOf(loc, el);
  const tag = startTagEnd(loc.text, start);
  if (tag.selfClosing) {
    const slash = loc.text.lastIndexOf('/', tag.end);
    return `${loc.text.slice(0, slash)}>${insert}</${el.tagName}>${loc.text.slice(tag.end + 1)}`;
  }
  const at = endTagStart(loc, el);
  return loc.text.slice(0, at) + insert + loc.text.slice(at);
}
