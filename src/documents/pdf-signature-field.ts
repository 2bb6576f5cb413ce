// The new signature field of an incremental update: a /Sig dictionary with fixed-width
// placeholders for /ByteRange and /Contents, its widget (visible or not) on a page, the page's
// /Annots and the AcroForm's /Fields. Only the objects that change are marked for the update;
// page content and resources are never touched (earlier signatures must stay valid).
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFDocument } from '@cantoo/pdf-lib';

/** Ten digits: wide enough for any offset in a 50 MiB document, rewritten in place later. */
export const BYTE_RANGE_PLACEHOLDER = 9_999_999_999;

export interface SignatureFieldInput {
  fieldName: string;
  /** Bytes reserved for the CMS (the hex string holds twice as many characters). */
  contentsBytes: number;
  signingTime: Date;
  reason?: string;
  location?: string;
  /** 0-based page index. */
  pageIndex: number;
  /** [llx, lly, urx, ury]; [0,0,0,0] for an invisible signature. */
  rect: [number, number, number, number];
  appearance: PDFRef;
}

function markChanged(doc: PDFDocument, ref: PDFRef): void {
  const snapshot = (doc.context as unknown as { snapshot?: { markRefForSave(r: PDFRef): void } }).snapshot;
  if (!snapshot) throw new Error('PDF not opened for an incremental update');
  snapshot.markRefForSave(ref);
}

/** Appends `item` to the array at dict[key], marking whichever indirect object holds the array. */
function appendTo(doc: PDFDocument, owner: { dict: PDFDict; ref: PDFRef }, key: string, item: PDFRef): void {
  const name = PDFName.of(key);
  const raw = owner.dict.get(name);
  if (raw instanceof PDFRef) {
    doc.context.lookup(raw, PDFArray).push(item);
    markChanged(doc, raw);
    return;
  }
  if (raw instanceof PDFArray) raw.push(item);
  else owner.dict.set(name, doc.context.obj([item]));
  markChanged(doc, owner.ref);
}

/** The AcroForm dictionary and the indirect object it lives in (itself, or the catalog). */
function acroForm(doc: PDFDocument): { dict: PDFDict; ref: PDFRef } {
  const rootRef = doc.context.trailerInfo.Root as PDFRef;
  const raw = doc.catalog.get(PDFName.of('AcroForm'));
  if (raw instanceof PDFRef) return { dict: doc.context.lookup(raw, PDFDict), ref: raw };
  if (raw instanceof PDFDict) return { dict: raw, ref: rootRef };
  const ref = doc.context.register(doc.context.obj({ Fields: [] }));
  doc.catalog.set(PDFName.of('AcroForm'), ref);
  markChanged(doc, rootRef);
  return { dict: doc.context.lookup(ref, PDFDict), ref };
}

export function addSignatureField(doc: PDFDocument, input: SignatureFieldInput): void {
  const ctx = doc.context;
  const sig = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER],
    Contents: PDFHexString.of('0'.repeat(input.contentsBytes * 2)),
    M: PDFString.fromDate(input.signingTime),
  });
  if (input.reason) sig.set(PDFName.of('Reason'), PDFHexString.fromText(input.reason));
  if (input.location) sig.set(PDFName.of('Location'), PDFHexString.fromText(input.location));
  const sigRef = ctx.register(sig);
  const page = doc.getPage(input.pageIndex);
  const widget = ctx.obj({
    Type: 'Annot', Subtype: 'Widget', FT: 'Sig',
    T: PDFHexString.fromText(input.fieldName),
    V: sigRef,
    Rect: input.rect,
    F: 132, // Print + Locked
    P: page.ref,
    AP: { N: input.appearance },
  });
  const widgetRef = ctx.register(widget);
  appendTo(doc, { dict: page.node, ref: page.ref }, 'Annots', widgetRef);
  const form = acroForm(doc);
  appendTo(doc, form, 'Fields', widgetRef);
  form.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  markChanged(doc, form.ref);
}

export function uniqueFieldName(existing: Set<string>): string {
  for (let i = 1; ; i++) if (!existing.has(`Signature${i}`)) return `Signature${i}`;
}
