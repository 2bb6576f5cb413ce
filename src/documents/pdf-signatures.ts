// The signatures already in a PDF, as stored: field, /ByteRange, the CMS from /Contents (padding
// cut off), SubFilter and /M. Shared by the consent facts and the verifier.
import * as asn1js from 'asn1js';
import { PDFArray, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument } from '@cantoo/pdf-lib';
import { signatureFields } from './pdf-load.js';

export interface StoredPdfSignature {
  fieldName: string;
  page?: number;
  rect?: number[];
  byteRange?: number[];
  /** DER of the CMS, trailing zero padding removed. */
  cms?: Buffer;
  /** The raw bytes of the /Contents string (with padding), for the DSS /VRI key. */
  contentsRaw?: Buffer;
  subFilter?: string;
  /** /M, as a Date when it parses. */
  signingTime?: Date;
}

/** The CMS without the zero padding that fills the reserved /Contents. */
export function trimDer(raw: Buffer): Buffer {
  const parsed = asn1js.fromBER(new Uint8Array(raw));
  return parsed.offset > 0 ? raw.subarray(0, parsed.offset) : raw;
}

export function storedSignatures(doc: PDFDocument): StoredPdfSignature[] {
  return signatureFields(doc).filter((f) => f.signed && f.sig).map((f) => {
    const sig = f.sig!;
    const contents = sig.lookupMaybe(PDFName.of('Contents'), PDFString, PDFHexString);
    const contentsRaw = contents ? Buffer.from(contents.asBytes()) : undefined;
    const br = sig.lookupMaybe(PDFName.of('ByteRange'), PDFArray)?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
    const m = sig.lookupMaybe(PDFName.of('M'), PDFString, PDFHexString);
    let signingTime: Date | undefined;
    try { signingTime = m?.decodeDate(); } catch { signingTime = undefined; }
    return {
      fieldName: f.fieldName, page: f.page, rect: f.rect, byteRange: br,
      cms: contentsRaw ? trimDer(contentsRaw) : undefined, contentsRaw,
      subFilter: sig.lookupMaybe(PDFName.of('SubFilter'), PDFName)?.decodeText(), signingTime,
    };
  });
}
