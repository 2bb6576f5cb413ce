// XML bytes ↔ text: only UTF-8 (with or without BOM) is signed, no DTD (entity expansion and
// external entities have no place in a document a user signs), and the output keeps the BOM.
import { invalidDocument } from './errors.js';

export interface DecodedXml {
  text: string;
  bom: boolean;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function decodeXml(content: Buffer): DecodedXml {
  const bom = content.subarray(0, 3).equals(BOM);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? content.subarray(3) : content);
  } catch {
    throw invalidDocument('XML is not UTF-8');
  }
  const decl = /^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/.exec(text);
  if (decl && !/^utf-?8$/i.test(decl[1])) throw invalidDocument(`XML encoding ${decl[1]} (only UTF-8 is signed)`);
  if (/<!DOCTYPE/i.test(text)) throw invalidDocument('XML with a DOCTYPE is not signed');
  return { text, bom };
}

export function encodeLike(decoded: DecodedXml, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return decoded.bom ? Buffer.concat([BOM, body]) : body;
}
