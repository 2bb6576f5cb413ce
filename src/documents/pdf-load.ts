// Opening a PDF for signing or inspection: refuses what cannot be signed honestly (encrypted,
// XFA forms, not a PDF) with DOCUMENT_INVALID, and lists the signature fields already there.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFAcroField } from '@cantoo/pdf-lib';
import { invalidDocument } from './errors.js';

export interface PdfLoaded {
  doc: PDFDocument;
  pageCount: number;
}

export interface ExistingSignatureField {
  fieldName: string;
  /** Signed (has /V) or an empty signature field. */
  signed: boolean;
  /** The /Sig dictionary, when signed. */
  sig?: PDFDict;
  /** 1-based page of the widget, when it has one and it is found. */
  page?: number;
  rect?: number[];
}

function looksLikePdf(content: Uint8Array): boolean {
  const head = Buffer.from(content.subarray(0, 1024)).toString('latin1');
  const tail = Buffer.from(content.subarray(Math.max(0, content.length - 2048))).toString('latin1');
  return head.includes('%PDF-') && tail.includes('%%EOF');
}

export async function loadPdf(content: Uint8Array, forIncrementalUpdate: boolean): Promise<PdfLoaded> {
  if (!looksLikePdf(content)) throw invalidDocument('not a PDF file (no %PDF- header or %%EOF)');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(content, { forIncrementalUpdate, updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  } catch (e) {
    throw invalidDocument(`PDF cannot be read: ${(e as Error).message}`);
  }
  if (doc.isEncrypted) throw invalidDocument('encrypted PDF (remove the password protection before signing)');
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (acroForm?.has(PDFName.of('XFA'))) throw invalidDocument('XFA form PDF (its content is not what is signed)');
  let pageCount: number;
  try {
    pageCount = doc.getPageCount();
  } catch (e) {
    throw invalidDocument(`PDF page tree cannot be read: ${(e as Error).message}`);
  }
  if (pageCount === 0) throw invalidDocument('PDF has no pages');
  return { doc, pageCount };
}

/** Every terminal field name, for choosing a unique new one. */
export function fieldNames(doc: PDFDocument): Set<string> {
  const fields = doc.catalog.getAcroForm()?.getAllFields() ?? [];
  return new Set(fields.map(([f]) => f.getFullyQualifiedName() ?? ''));
}

/** The field's first widget: the field dictionary itself when merged, else its first kid. */
function firstWidget(field: PDFAcroField, ref: PDFRef): { dict: PDFDict; ref: PDFRef } | undefined {
  if (field.dict.has(PDFName.of('Rect'))) return { dict: field.dict, ref };
  const kids = field.dict.lookupMaybe(PDFName.of('Kids'), PDFArray);
  const kid = kids?.get(0);
  const dict = kids?.lookupMaybe(0, PDFDict);
  return kid instanceof PDFRef && dict ? { dict, ref: kid } : undefined;
}

function pageOfWidget(doc: PDFDocument, widget: { dict: PDFDict; ref: PDFRef }): number | undefined {
  const pages = doc.getPages();
  const p = widget.dict.get(PDFName.of('P'));
  let i = p instanceof PDFRef ? pages.findIndex((pg) => pg.ref === p) : -1;
  if (i < 0) i = pages.findIndex((pg) => (pg.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []).some((a) => a === widget.ref));
  return i >= 0 ? i + 1 : undefined;
}

function rectOf(widget: { dict: PDFDict }): number[] | undefined {
  const r = widget.dict.lookupMaybe(PDFName.of('Rect'), PDFArray);
  return r ? r.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)) : undefined;
}

export function signatureFields(doc: PDFDocument): ExistingSignatureField[] {
  const fields = doc.catalog.getAcroForm()?.getAllFields() ?? [];
  const out: ExistingSignatureField[] = [];
  for (const [field, ref] of fields) {
    if (field.dict.lookupMaybe(PDFName.of('FT'), PDFName) !== PDFName.of('Sig')) continue;
    const sig = field.dict.lookupMaybe(PDFName.of('V'), PDFDict);
    const widget = firstWidget(field, ref);
    out.push({
      fieldName: field.getFullyQualifiedName() ?? '',
      signed: Boolean(sig), sig,
      page: widget ? pageOfWidget(doc, widget) : undefined,
      rect: widget ? rectOf(widget) : undefined,
    });
  }
  return out;
}
