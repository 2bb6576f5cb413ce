// The one entry point the core calls to sign a document it has shown to the user: it picks the
// engine, enforces the level rules of the issue (XML-DSig B only, CMS B/T, PAdES B/T/LT) and the
// size cap, and answers with the signed document and, where asked, the signature alone.
import { signCms } from './cms.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, LEVELS_BY_FORMAT } from './limits.js';
import { documentError, invalidDocument, invalidParams } from './errors.js';
import { signPdf, type PdfOptions } from './pades.js';
import type { RevocationFetchOptions } from './revocation-data.js';
import type { DigestSigner, HashAlgorithm } from './signer.js';
import type { TsaOptions } from './timestamp.js';
import { signXml } from './xml-dsig.js';
import { XML_PROFILES, type XmlOptions, type XmlProfile } from './xml-profiles.js';

export const DOCUMENT_FORMATS = ['xmldsig', 'cms', 'pades'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export type SignatureLevel = 'B' | 'T' | 'LT';
export { DEFAULT_MAX_DOCUMENT_BYTES };

export interface CmsOptions {
  /** Default true. */
  detached?: boolean;
  /** Default true. */
  includeChain?: boolean;
}

export interface SignDocumentOptions {
  xml?: XmlOptions;
  cms?: CmsOptions;
  pdf?: PdfOptions;
}

export interface SignDocumentRequest {
  format: DocumentFormat;
  /** XML-DSig only; default 'generic'. */
  profile?: XmlProfile;
  /** Default 'B'. */
  level?: SignatureLevel;
  /** Default SHA-256; SHA-1 only for XML-DSig and CMS. */
  hashAlgorithm?: HashAlgorithm;
  content: Buffer;
  options?: SignDocumentOptions;
  signer: DigestSigner;
  /** A TSA of the daemon's configuration; required for T and LT. */
  tsa?: TsaOptions;
  /** HTTP for B-LT revocation data (tests inject a loopback fetch). */
  revocation?: RevocationFetchOptions;
  /** Default 50 MiB (config maxDocumentBytes). */
  maxBytes?: number;
  now?: Date;
}

export interface SignDocumentResult {
  format: DocumentFormat;
  level: SignatureLevel;
  /** The signed document (for CMS: the CMS itself). */
  output: Buffer;
  /** XML: the <Signature> element; PDF: the CMS from /Contents; CMS: the CMS. */
  signatureOnly: Buffer;
}

function checkLevel(format: DocumentFormat, level: SignatureLevel): void {
  const allowed: Record<DocumentFormat, readonly SignatureLevel[]> = LEVELS_BY_FORMAT;
  if (!allowed[format].includes(level)) throw invalidParams(`${format} signs at level ${allowed[format].join('/')}, not ${level}`);
}

export async function signDocument(req: SignDocumentRequest): Promise<SignDocumentResult> {
  if (!(DOCUMENT_FORMATS as readonly string[]).includes(req.format)) throw invalidParams(`unknown format ${String(req.format)}`);
  const level = req.level ?? 'B';
  checkLevel(req.format, level);
  if (!Buffer.isBuffer(req.content) || req.content.length === 0) throw invalidDocument('empty document');
  const max = req.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  if (req.content.length > max) throw documentError('DOCUMENT_TOO_LARGE', `${req.content.length} bytes, the limit is ${max}`);
  if (level !== 'B' && !req.tsa) throw documentError('TSA_UNAVAILABLE', `level ${level} needs a configured TSA`);
  switch (req.format) {
    case 'xmldsig': {
      const profile = req.profile ?? 'generic';
      if (!(XML_PROFILES as readonly string[]).includes(profile)) throw invalidParams(`unknown XML profile ${profile}`);
      const r = await signXml({ content: req.content, profile, options: req.options?.xml, signer: req.signer, hashAlgorithm: req.hashAlgorithm, now: req.now });
      return { format: 'xmldsig', level, output: r.output, signatureOnly: Buffer.from(r.signatureXml, 'utf8') };
    }
    case 'cms': {
      const r = await signCms(req.content, {
        signer: req.signer, hashAlgorithm: req.hashAlgorithm, level: level as 'B' | 'T', tsa: req.tsa, now: req.now,
        detached: req.options?.cms?.detached ?? true, includeChain: req.options?.cms?.includeChain ?? true,
      });
      return { format: 'cms', level, output: r.cms, signatureOnly: r.cms };
    }
    case 'pades': {
      const r = await signPdf({ content: req.content, signer: req.signer, level, hashAlgorithm: req.hashAlgorithm, options: req.options?.pdf, tsa: req.tsa, revocation: req.revocation, now: req.now });
      return { format: 'pades', level, output: r.output, signatureOnly: r.signatureOnly };
    }
  }
}
