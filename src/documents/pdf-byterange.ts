// After pdf-lib wrote the update with placeholders: find this update's /ByteRange and /Contents,
// write the real byte range (same width, space padded), and later the CMS into /Contents.
// The search is confined to the new update, so earlier signatures' bytes are never looked at.
import { BYTE_RANGE_PLACEHOLDER } from './pdf-signature-field.js';

export interface Placeholder {
  /** Offset of '<' of /Contents. */
  contentsStart: number;
  /** Offset just after '>' of /Contents. */
  contentsEnd: number;
  byteRange: [number, number, number, number];
}

const P = String(BYTE_RANGE_PLACEHOLDER);
const BYTE_RANGE = new RegExp(`/ByteRange\\s*\\[\\s*0\\s+${P}\\s+${P}\\s+${P}\\s*\\]`, 'g');

/** Fills /ByteRange in place and returns where the signature goes. */
export function fillByteRange(pdf: Uint8Array, updateStart: number, contentsBytes: number): Placeholder {
  const tail = Buffer.from(pdf.buffer, pdf.byteOffset + updateStart, pdf.byteLength - updateStart).toString('latin1');
  const matches = [...tail.matchAll(BYTE_RANGE)];
  if (matches.length !== 1) throw new Error(`expected one ByteRange placeholder in the update, found ${matches.length}`);
  const zeros = `<${'0'.repeat(contentsBytes * 2)}>`;
  const contentsAt = tail.indexOf(zeros);
  if (contentsAt < 0 || tail.indexOf(zeros, contentsAt + 1) >= 0) throw new Error('Contents placeholder not found exactly once');
  const contentsStart = updateStart + contentsAt;
  const contentsEnd = contentsStart + zeros.length;
  const byteRange: [number, number, number, number] = [0, contentsStart, contentsEnd, pdf.byteLength - contentsEnd];
  const m = matches[0];
  const text = `/ByteRange [${byteRange.join(' ')}]`;
  if (text.length > m[0].length) throw new Error('ByteRange does not fit its placeholder');
  Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).write(text.padEnd(m[0].length, ' '), updateStart + m.index!, 'latin1');
  return { contentsStart, contentsEnd, byteRange };
}

/** The two signed parts: everything but the /Contents hex string. */
export function signedParts(pdf: Uint8Array, p: Placeholder): Uint8Array[] {
  return [pdf.subarray(0, p.contentsStart), pdf.subarray(p.contentsEnd)];
}

export function writeContents(pdf: Uint8Array, p: Placeholder, cms: Buffer): void {
  const room = (p.contentsEnd - p.contentsStart - 2) / 2;
  if (cms.length > room) throw new Error(`CMS of ${cms.length} bytes does not fit the ${room} reserved`);
  Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).write(cms.toString('hex').toUpperCase(), p.contentsStart + 1, 'latin1');
}
