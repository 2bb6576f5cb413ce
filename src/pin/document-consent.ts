// The consent dialog of a document: who asks, "Ký văn bản", the document as the bridge read it
// (name, size, SHA-256 fingerprint, format and level; a PDF's pages, earlier signatures and where
// the visible one goes; an e-invoice's series, number, date, seller and MST, buyer, total), the
// certificate, and the warnings (SHA-1, seller MST ≠ certificate MST, near expiry).
import type { ConsentCertificate } from '../core/dialogs.js';
import type { DocumentFacts } from '../documents/index.js';
import { documentText, type DocumentTextKey } from '../i18n/table-documents.js';
import type { Lang } from '../i18n/types.js';

type Clean = (s: string | undefined, max?: number) => string;

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function pdfLines(f: DocumentFacts, lang: Lang, clean: Clean): string[] {
  const pdf = f.pdf;
  if (!pdf) return [];
  const t = (k: DocumentTextKey, a: Record<string, string | number> = {}) => documentText(k, lang, a);
  const signers = pdf.signatures.map((s) => clean(s.signer ?? s.fieldName, 40)).join(', ');
  return [
    t('CONSENT_PDF_PAGES', { pages: pdf.pageCount }),
    pdf.signatures.length ? t('CONSENT_PDF_SIGNATURES', { count: pdf.signatures.length, signers }) : t('CONSENT_PDF_SIGNATURES_NONE'),
    pdf.placement.visible ? t('CONSENT_PDF_VISIBLE', { page: pdf.placement.page, rect: pdf.placement.rect.map((x) => Math.round(x)).join(',') }) : t('CONSENT_PDF_INVISIBLE'),
  ];
}

function invoiceLines(f: DocumentFacts, lang: Lang, clean: Clean): string[] {
  const inv = f.invoice;
  if (!inv) return [];
  const t = (k: DocumentTextKey, a: Record<string, string | number> = {}) => documentText(k, lang, a);
  return [
    t('CONSENT_INVOICE', { series: clean(inv.series ?? '', 20), number: clean(inv.number ?? '', 20), date: clean(inv.date ?? '', 20) }),
    t('CONSENT_INVOICE_SELLER', { name: clean(inv.seller?.name ?? '', 60), taxCode: clean(inv.seller?.taxCode ?? '', 20) }),
    t('CONSENT_INVOICE_BUYER', { name: clean(inv.buyer?.name ?? '', 60) }),
    t('CONSENT_INVOICE_TOTAL', { total: clean(String(inv.total ?? ''), 24), currency: clean(inv.currency ?? '', 8) }),
  ];
}

/** The document part of the consent text, one language. */
export function documentConsentLines(doc: { name: string; facts: DocumentFacts }, certificate: ConsentCertificate, lang: Lang, clean: Clean): string[] {
  const f = doc.facts;
  const t = (k: DocumentTextKey, a: Record<string, string | number> = {}) => documentText(k, lang, a);
  // Warnings come right after the title: if the whole text is too long for one dialog line, the
  // end is what gets cut, and that must never be the seller-MST or SHA-1 warning.
  return [
    t('CONSENT_TITLE'),
    ...f.warnings.map((w) => clean(w[lang], 160)),
    t('CONSENT_DOCUMENT', { name: clean(doc.name, 60), size: size(f.size) }),
    t('CONSENT_FINGERPRINT', { fingerprint: f.fingerprint }),
    t('CONSENT_FORMAT', { format: `${f.format.toUpperCase()} ${f.level} · ${f.hashAlgorithm}` }),
    t('CONSENT_CERTIFICATE', { certificate: clean(certificate.name, 80) }),
    ...pdfLines(f, lang, clean),
    ...invoiceLines(f, lang, clean),
  ];
}
