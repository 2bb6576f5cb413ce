// Document facts for the consent dialog, computed from the bytes the user is about to sign:
// size and SHA-256 fingerprint, a PDF's pages, existing signatures and where the new one goes,
// an e-invoice's identity and parties, and warnings (SHA-1, seller MST ≠ certificate MST, near
// expiry). No side effects; the dialog text comes from src/i18n/table-documents.ts.
import { createHash } from 'node:crypto';
import { EXPIRING_SOON_DAYS } from '../certs/checks.js';
import { parseIdentity } from '../certs/identity.js';
import { x509 } from '../certs/x509.js';
import { documentText, type DocumentTextKey } from '../i18n/table-documents.js';
import { invoiceFacts, type InvoiceFacts } from './einvoice-facts.js';
import { parseSignedData } from './cms-verify.js';
import { loadPdf } from './pdf-load.js';
import { storedSignatures } from './pdf-signatures.js';
import type { DocumentFormat, SignatureLevel, SignDocumentOptions } from './sign-document.js';
import type { HashAlgorithm } from './signer.js';
import { parseXml } from './xml-splice.js';
import { decodeXml } from './xml-text.js';
import type { XmlProfile } from './xml-profiles.js';

export interface DescribeRequest {
  format: DocumentFormat;
  content: Buffer;
  profile?: XmlProfile;
  level?: SignatureLevel;
  hashAlgorithm?: HashAlgorithm;
  /** The certificate that will sign (DER), for the MST and expiry warnings. */
  certificate?: Buffer;
  options?: SignDocumentOptions;
  now?: Date;
}

export type WarningCode = 'SHA1' | 'SELLER_MST_MISMATCH' | 'EXPIRING_SOON';

export interface FactWarning {
  code: WarningCode;
  vi: string;
  en: string;
  invoiceTaxCode?: string;
  certificateTaxCode?: string;
}

export interface PdfFacts {
  pageCount: number;
  signatures: { fieldName: string; signer?: string; page?: number }[];
  placement: { visible: false } | { visible: true; page: number; rect: number[] };
}

export interface DocumentFacts {
  format: DocumentFormat;
  level: SignatureLevel;
  hashAlgorithm: HashAlgorithm;
  size: number;
  /** Lowercase hex. */
  sha256: string;
  /** First and last 8 hex digits: `ab12cd34…ef56ab78`. */
  fingerprint: string;
  pdf?: PdfFacts;
  invoice?: InvoiceFacts;
  warnings: FactWarning[];
}

export function fingerprint(sha256Hex: string): string {
  return `${sha256Hex.slice(0, 8)}…${sha256Hex.slice(-8)}`;
}

function warning(code: WarningCode, key: DocumentTextKey, args: Record<string, string | number> = {}, extra: Partial<FactWarning> = {}): FactWarning {
  return { code, vi: documentText(key, 'vi', args), en: documentText(key, 'en', args), ...extra };
}

function signerName(cms?: Buffer): string | undefined {
  if (!cms) return undefined;
  try {
    const sd = parseSignedData(cms);
    const sid = sd.signerInfos[0]?.sid;
    const certs = (sd.certificates ?? []).map((c) => new x509.X509Certificate(new Uint8Array(c.toSchema().toBER())));
    const serial = sid && 'serialNumber' in sid ? Buffer.from(sid.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^0+/, '').toUpperCase() : undefined;
    const cert = certs.find((c) => c.serialNumber.replace(/^0+/, '').toUpperCase() === serial) ?? certs[0];
    return cert ? parseIdentity(cert).commonName ?? cert.subject : undefined;
  } catch {
    return undefined;
  }
}

async function pdfFacts(content: Buffer, options?: SignDocumentOptions): Promise<PdfFacts> {
  const { doc, pageCount } = await loadPdf(content, false);
  const signatures = storedSignatures(doc).map((s) => ({ fieldName: s.fieldName, signer: signerName(s.cms), page: s.page }));
  const v = options?.pdf?.visible;
  return { pageCount, signatures, placement: v ? { visible: true, page: v.page, rect: [...v.rect] } : { visible: false } };
}

function certificateWarnings(certificate: Buffer | undefined, invoice: InvoiceFacts | undefined, now: Date): FactWarning[] {
  if (!certificate) return [];
  const cert = new x509.X509Certificate(new Uint8Array(certificate));
  const out: FactWarning[] = [];
  const certMst = parseIdentity(cert).taxCode;
  const invoiceMst = invoice?.seller.taxCode;
  if (invoiceMst !== undefined && invoiceMst !== certMst) {
    out.push(warning('SELLER_MST_MISMATCH', 'WARN_SELLER_MST', { invoice: invoiceMst, certificate: certMst ?? '—' }, { invoiceTaxCode: invoiceMst, certificateTaxCode: certMst }));
  }
  const days = Math.floor((cert.notAfter.getTime() - now.getTime()) / 86_400_000);
  if (days >= 0 && days < EXPIRING_SOON_DAYS) out.push(warning('EXPIRING_SOON', 'WARN_EXPIRING', { days }));
  return out;
}

export async function describeDocument(req: DescribeRequest): Promise<DocumentFacts> {
  const sha256 = createHash('sha256').update(req.content).digest('hex');
  const hashAlgorithm = req.hashAlgorithm ?? 'SHA-256';
  const facts: DocumentFacts = { format: req.format, level: req.level ?? 'B', hashAlgorithm, size: req.content.length, sha256, fingerprint: fingerprint(sha256), warnings: [] };
  if (req.format === 'pades') facts.pdf = await pdfFacts(req.content, req.options);
  if (req.format === 'xmldsig' && req.profile === 'vn-einvoice') facts.invoice = invoiceFacts(parseXml(decodeXml(req.content).text));
  if (hashAlgorithm === 'SHA-1') facts.warnings.push(warning('SHA1', 'WARN_SHA1'));
  facts.warnings.push(...certificateWarnings(req.certificate, facts.invoice, req.now ?? new Date()));
  return facts;
}
