// PDF signatures (PAdES, SubFilter ETSI.CAdES.detached), always as an incremental update: the
// input is a byte prefix of the output and earlier signatures stay valid. B-B and B-T here; B-LT
// adds a DSS revision (pdf-dss.ts) with revocation data fetched before the signer is asked.
import { parseIdentity } from '../certs/identity.js';
import { x509 } from '../certs/x509.js';
import { signCms } from './cms.js';
import { documentError, invalidParams } from './errors.js';
import { buildAppearance, emptyAppearance } from './pdf-appearance.js';
import { fillByteRange, signedParts, writeContents } from './pdf-byterange.js';
import { addDssRevision } from './pdf-dss.js';
import { fieldNames, loadPdf } from './pdf-load.js';
import { addSignatureField, uniqueFieldName } from './pdf-signature-field.js';
import { collectRevocationData, type RevocationFetchOptions } from './revocation-data.js';
import type { DigestSigner, HashAlgorithm } from './signer.js';
import type { TsaOptions } from './timestamp.js';
import { vnDisplay } from './vn-time.js';

export type PadesLevel = 'B' | 'T' | 'LT';

export interface PdfVisibleOptions {
  /** 1-based page number. */
  page: number;
  /** [llx, lly, urx, ury] in PDF points. */
  rect: [number, number, number, number];
  /** Default: "Ký bởi: <name>", "MST/CCCD: …", "Thời gian: dd/MM/yyyy HH:mm:ss" (Vietnam time). */
  lines?: string[];
  imagePng?: Buffer;
}

export interface PdfOptions {
  visible?: PdfVisibleOptions;
  reason?: string;
  location?: string;
}

export interface PadesSignRequest {
  content: Buffer;
  signer: DigestSigner;
  level?: PadesLevel;
  hashAlgorithm?: HashAlgorithm;
  options?: PdfOptions;
  tsa?: TsaOptions;
  revocation?: RevocationFetchOptions;
  now?: Date;
}

export interface PadesResult {
  output: Buffer;
  /** The CMS written into /Contents. */
  signatureOnly: Buffer;
  fieldName: string;
}

/** Room for the CMS: the certificates, attributes and signature, and a time-stamp token at T/LT. */
function contentsBytes(signer: DigestSigner, timestamped: boolean): number {
  const certs = [signer.certificate, ...signer.chain].reduce((n, c) => n + c.length, 0);
  return certs + 8192 + (timestamped ? 24_576 : 0);
}

/** The default lines of a visible signature, from the certificate's identity. */
export function defaultLines(certificate: Buffer, when: Date): string[] {
  const id = parseIdentity(new x509.X509Certificate(new Uint8Array(certificate)));
  const name = id.commonName ?? id.organization ?? '';
  const number = id.taxCode ? `MST: ${id.taxCode}` : id.citizenId ? `CCCD: ${id.citizenId}` : undefined;
  return [`Ký bởi: ${name}`, ...(number ? [number] : []), `Thời gian: ${vnDisplay(when)}`];
}

function checkRect(rect: unknown): [number, number, number, number] {
  if (!Array.isArray(rect) || rect.length !== 4 || !rect.every((n) => typeof n === 'number' && Number.isFinite(n))) throw invalidParams('visible.rect must be [llx, lly, urx, ury]');
  const [llx, lly, urx, ury] = rect as number[];
  if (urx - llx < 10 || ury - lly < 10) throw invalidParams('visible.rect must be at least 10 × 10 points, llx < urx, lly < ury');
  return [llx, lly, urx, ury];
}

export async function signPdf(req: PadesSignRequest): Promise<PadesResult> {
  const level = req.level ?? 'B';
  const h = req.hashAlgorithm ?? 'SHA-256';
  if (h === 'SHA-1') throw invalidParams('PAdES does not sign with SHA-1');
  if (level !== 'B' && !req.tsa) throw documentError('TSA_UNAVAILABLE', `level ${level} needs a configured TSA`);
  const now = req.now ?? new Date();
  // B-LT: revocation data first, so a missing answer signs nothing.
  const revocation = level === 'LT' ? await collectRevocationData(req.signer, req.revocation ?? {}) : undefined;
  const { doc, pageCount } = await loadPdf(req.content, true);
  const visible = req.options?.visible;
  if (visible && (!Number.isInteger(visible.page) || visible.page < 1 || visible.page > pageCount)) {
    throw invalidParams(`visible.page must be 1..${pageCount}`);
  }
  const rect = visible ? checkRect(visible.rect) : [0, 0, 0, 0] as [number, number, number, number];
  const appearance = visible
    ? await buildAppearance(doc, { width: rect[2] - rect[0], height: rect[3] - rect[1], lines: visible.lines ?? defaultLines(req.signer.certificate, now), imagePng: visible.imagePng })
    : emptyAppearance(doc);
  const fieldName = uniqueFieldName(fieldNames(doc));
  const reserved = contentsBytes(req.signer, level !== 'B');
  addSignatureField(doc, {
    fieldName, contentsBytes: reserved, signingTime: now, reason: req.options?.reason, location: req.options?.location,
    pageIndex: visible ? visible.page - 1 : 0, rect, appearance,
  });
  const pdf = await doc.commit({ useObjectStreams: false });
  if (!Buffer.from(pdf.buffer, pdf.byteOffset, req.content.length).equals(req.content)) throw new Error('the update is not incremental');
  const placeholder = fillByteRange(pdf, req.content.length, reserved);
  const { cms, timestamp } = await signCms(signedParts(pdf, placeholder), {
    signer: req.signer, hashAlgorithm: h, level: level === 'B' ? 'B' : 'T', pades: true, detached: true, includeChain: true, tsa: req.tsa,
  });
  writeContents(pdf, placeholder, cms);
  let output: Buffer = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  if (revocation) output = await addDssRevision(output, { cms, contentsHex: output.subarray(placeholder.contentsStart + 1, placeholder.contentsEnd - 1), revocation, tsaCertificates: timestamp?.certificates ?? [] });
  return { output, signatureOnly: cms, fieldName };
}
