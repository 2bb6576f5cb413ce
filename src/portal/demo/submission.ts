// The demo's "Nộp hồ sơ" step on the server: hands out the sample dossier and e-invoice, takes the
// signed files back (raw bytes, up to MAX_SUBMISSION_BYTES), verifies every signature with the
// project's verifier (trust anchors of the portal, the chain the user's token presented at login
// as candidate intermediates) and keeps the last signed file of each kind for download.
import type { IncomingMessage } from 'node:http';
import { isDocumentError } from '../../documents/errors.js';
import { verifyDocument, type SignatureReport } from '../../documents/verify.js';
import type { FetchLike, RevocationMode, TrustAnchorInput } from '../validate.js';
import type { Account } from './accounts.js';
import { HttpError } from './api.js';
import { sampleDossierPdf, sampleInvoiceXml } from './dossier-samples.js';
import type { Session } from './sessions.js';

/** A 20 MB dossier and then some; larger files are refused before they are read whole. */
export const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;
export type SubmissionKind = 'pdf' | 'xml';

export interface SubmissionOptions {
  trustAnchors: TrustAnchorInput[];
  revocation: RevocationMode;
  fetch?: FetchLike;
}

export interface Binary { body: Buffer; type: string; filename?: string }

const TYPES: Record<SubmissionKind, string> = { pdf: 'application/pdf', xml: 'application/xml; charset=utf-8' };

function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_SUBMISSION_BYTES) { reject(HttpError.of(413, 'TOO_LARGE')); req.resume(); return; }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_SUBMISSION_BYTES) { reject(HttpError.of(413, 'TOO_LARGE')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What the page shows of each signature (the verifier's own words for the certificate). */
function summary(s: SignatureReport) {
  return {
    valid: s.valid, level: s.level, format: s.format, signer: s.signer, signedAt: s.signedAt,
    timestamp: s.timestamp ? { time: s.timestamp.time, valid: s.timestamp.valid } : null,
    certificate: { code: s.validation.code, message: s.validation.message },
    coversWholeDocument: s.coversWholeDocument, errors: s.errors, warnings: s.warnings,
  };
}

export async function sampleFor(kind: SubmissionKind, account: Account): Promise<Binary> {
  return kind === 'pdf'
    ? { body: await sampleDossierPdf(account), type: TYPES.pdf, filename: 'don-de-nghi.pdf' }
    : { body: sampleInvoiceXml(account), type: TYPES.xml, filename: 'hoa-don.xml' };
}

export async function verifySubmission(kind: SubmissionKind, req: IncomingMessage, session: Session, opts: SubmissionOptions): Promise<unknown> {
  const body = await readRaw(req);
  if (body.length === 0) throw HttpError.of(400, 'EMPTY_DOCUMENT');
  let report;
  try {
    report = await verifyDocument(body, {
      validation: {
        trustAnchors: opts.trustAnchors, revocation: opts.revocation, ...(opts.fetch ? { fetch: opts.fetch } : {}),
        intermediates: (session.chain ?? []).map((c) => Buffer.from(c, 'base64')), rootsDir: false, intermediatesDir: false,
      },
    });
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    throw HttpError.of(422, 'DOCUMENT_INVALID', { detail: e.detail });
  }
  const wanted = kind === 'pdf' ? 'pades' : 'xmldsig';
  if (report.format !== wanted) throw HttpError.of(422, 'DOCUMENT_INVALID', { detail: `expected a ${kind.toUpperCase()} file` });
  (session.submissions ??= {})[kind] = body;
  const signatures = report.signatures.map(summary);
  return { kind, size: body.length, valid: signatures.length > 0 && signatures.every((s) => s.valid), signatures };
}

export function submittedFile(kind: SubmissionKind, session: Session): Binary {
  const body = session.submissions?.[kind];
  if (!body) throw HttpError.of(404, 'NOT_FOUND');
  return { body, type: TYPES[kind], filename: kind === 'pdf' ? 'ho-so-da-ky.pdf' : 'hoa-don-da-ky.xml' };
}
