// Verifies every signature of a PDF, XML or CMS file: integrity (this layer), signer certificate
// with the project's validator (chain to the Vietnamese roots, revocation), time-stamp, and for
// PDFs whether the signature covers the whole file or the file changed after it.
import type { ValidateOptions } from '../certs/types.js';
import { checkCms, type CmsSignerCheck } from './cms-verify.js';
import { invalidDocument } from './errors.js';
import { detectFormat, reportFromCms, signerOf, validateSigner, type SignatureReport, type VerifiedFormat, type VerifyDocumentOptions } from './signature-report.js';
import { verifyPdfSignatures } from './verify-pdf.js';
import { verifyXml } from './xml-verify.js';

export { detectFormat, type SignatureReport, type VerifiedFormat, type VerifyDocumentOptions } from './signature-report.js';

function cmsBytes(content: Buffer): Buffer {
  const text = content.subarray(0, 64).toString('latin1');
  if (!text.startsWith('-----BEGIN')) return content;
  return Buffer.from(content.toString('latin1').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** Certificate checks shared by every format; the validation time is the time-stamp's when it is good. */
async function verifyXmlReports(content: Buffer, opts: ValidateOptions): Promise<SignatureReport[]> {
  const checks = await verifyXml(content);
  return Promise.all(checks.map(async (c) => {
    const validation = await validateSigner(c.certificate, [], undefined, opts);
    return {
      format: 'xmldsig' as const, level: 'B' as const,
      valid: c.integrity && validation.ok, integrity: c.integrity, signer: signerOf(c.certificate),
      signedAt: c.signingTime ?? null, validation, coversWholeDocument: c.coversWholeDocument, coversContent: c.coversContent, changedAfterSigning: false,
      fieldName: c.signatureId, errors: c.error ? [c.error] : [],
      warnings: [...('warnings' in validation ? validation.warnings.map((w) => w.message) : []), ...(c.hashAlgorithm === 'SHA-1' ? ['SHA-1 signature'] : [])],
    };
  }));
}


export async function verifyDocument(content: Buffer, opts: VerifyDocumentOptions = {}): Promise<{ format: VerifiedFormat; signatures: SignatureReport[] }> {
  const format = detectFormat(content);
  const validation = opts.validation ?? {};
  if (format === 'pades') return { format, signatures: await verifyPdfSignatures(content, validation) };
  if (format === 'xmldsig') return { format, signatures: await verifyXmlReports(content, validation) };
  let checks: CmsSignerCheck[];
  try {
    checks = await checkCms(cmsBytes(content), opts.content ? [opts.content] : undefined);
  } catch (e) {
    throw invalidDocument(`CMS cannot be read: ${(e as Error).message}`);
  }
  return { format, signatures: await Promise.all(checks.map((c) => reportFromCms(c, 'cms', validation))) };
}
