// What a verification says about one signature, and how a CMS signer check becomes that report:
// shared by the PDF, XML and CMS verifiers.
import { validateCertificate } from '../certs/validate.js';
import type { CertificateStatus, ValidateOptions } from '../certs/types.js';
import { formatName } from '../certs/names.js';
import { x509 } from '../certs/x509.js';
import type { CmsSignerCheck } from './cms-verify.js';
import { invalidDocument } from './errors.js';

export type VerifiedFormat = 'pades' | 'xmldsig' | 'cms';

export interface SignatureReport {
  format: VerifiedFormat;
  /** 'B', 'T' (time-stamped) or 'LT' (PDF with DSS revocation data). */
  level: 'B' | 'T' | 'LT';
  valid: boolean;
  integrity: boolean;
  signer: { subject: string; serialNumber: string } | null;
  /** Claimed signing time (CMS signingTime, PDF /M, XML SigningTime), ISO. */
  signedAt: string | null;
  timestamp?: { time: string | null; valid: boolean; tsa?: string; error?: string };
  validation: CertificateStatus | { code: 'NOT_CHECKED'; ok: false; message: string };
  coversWholeDocument: boolean;
  /** Covers document content at all (an XML signature over only its own properties does not). */
  coversContent: boolean;
  changedAfterSigning: boolean;
  fieldName?: string;
  errors: string[];
  warnings: string[];
}

export interface VerifyDocumentOptions {
  /** Detached CMS: the signed content. */
  content?: Buffer;
  validation?: ValidateOptions;
}

export function detectFormat(content: Buffer): VerifiedFormat {
  const head = content.subarray(0, 1024).toString('latin1');
  if (head.includes('%PDF-')) return 'pades';
  if (/^(\uFEFF|\xEF\xBB\xBF)?\s*</.test(head)) return 'xmldsig';
  if (content[0] === 0x30 || head.startsWith('-----BEGIN')) return 'cms';
  throw invalidDocument('not a PDF, XML or CMS file');
}

export async function validateSigner(cert: Buffer | undefined, extraCas: Buffer[], at: Date | undefined, opts: ValidateOptions): Promise<SignatureReport['validation']> {
  if (!cert) return { code: 'NOT_CHECKED', ok: false, message: 'no signer certificate' };
  return validateCertificate(new Uint8Array(cert), { ...opts, purpose: 'sign', at: at ?? opts.at, intermediates: [...(opts.intermediates ?? []), ...extraCas.map((c) => new Uint8Array(c))] });
}

export function signerOf(cert: Buffer | undefined): SignatureReport['signer'] {
  if (!cert) return null;
  const c = new x509.X509Certificate(new Uint8Array(cert));
  // Named as the bridge names certificates everywhere (UID=…, not dotted OIDs).
  return { subject: formatName(c.subjectName), serialNumber: c.serialNumber.toUpperCase() };
}

/**
 * A time-stamp counts only when its own signature holds AND its TSA certificate chains to a
 * trusted root: a self-made token must not date a signature back into an expired certificate's life.
 */
async function trustedTimestamp(ts: CmsSignerCheck['timestamp'], opts: ValidateOptions): Promise<{ trusted: boolean; error?: string }> {
  if (!ts) return { trusted: false };
  if (!ts.integrity) return { trusted: false, error: ts.error };
  const status = await validateSigner(ts.certificate, ts.certificates, ts.time, opts);
  return status.ok ? { trusted: true } : { trusted: false, error: `the TSA certificate is not trusted (${status.code})` };
}

/** The shared part of a report built from a CMS signer check (CMS files and PDF signatures). */
export async function reportFromCms(check: CmsSignerCheck, format: VerifiedFormat, opts: ValidateOptions): Promise<SignatureReport> {
  const ts = check.timestamp;
  const stamp = await trustedTimestamp(ts, opts);
  const validation = await validateSigner(check.certificate, check.certificates, stamp.trusted ? ts!.time : undefined, opts);
  const errors = check.error ? [check.error] : [];
  if (ts && !stamp.trusted) errors.push(`time-stamp: ${stamp.error}`);
  const warnings = 'warnings' in validation ? validation.warnings.map((w) => w.message) : [];
  if (!check.hasSigningCertificateV2) warnings.push('no signingCertificateV2 attribute (not CAdES)');
  return {
    format, level: ts ? 'T' : 'B',
    valid: check.integrity && validation.ok && (!ts || stamp.trusted),
    integrity: check.integrity,
    signer: signerOf(check.certificate),
    signedAt: check.signingTime?.toISOString() ?? null,
    timestamp: ts ? { time: ts.time?.toISOString() ?? null, valid: stamp.trusted, tsa: signerOf(ts.certificate)?.subject, error: stamp.error } : undefined,
    validation, coversWholeDocument: true, coversContent: true, changedAfterSigning: false, errors, warnings,
  };
}
