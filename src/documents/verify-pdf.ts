// PDF signatures: the /ByteRange must start at 0 and leave out exactly the /Contents string; the
// CMS is checked over the two ranges; a signature whose range ends before the file does is
// marked changed-after-signing (later revisions: another signature, a DSS, or an edit).
import { PDFDict, PDFName } from '@cantoo/pdf-lib';
import type { ValidateOptions } from '../certs/types.js';
import { checkCms } from './cms-verify.js';
import { vriKey } from './pdf-dss.js';
import { loadPdf } from './pdf-load.js';
import { storedSignatures, type StoredPdfSignature } from './pdf-signatures.js';
import { reportFromCms, type SignatureReport } from './signature-report.js';

function rangeProblem(pdf: Buffer, s: StoredPdfSignature): string | undefined {
  const br = s.byteRange;
  if (!br || br.length !== 4 || br.some((n) => !Number.isInteger(n) || n < 0)) return 'malformed /ByteRange';
  const [a, b, c, d] = br;
  if (a !== 0 || b >= c || c + d > pdf.length) return '/ByteRange outside the file';
  const gap = pdf.subarray(b, c).toString('latin1');
  if (!/^<[0-9A-Fa-f]*>$/.test(gap)) return '/ByteRange does not leave out exactly the /Contents string';
  return undefined;
}

function dssVriKeys(doc: Awaited<ReturnType<typeof loadPdf>>['doc']): Set<string> {
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  const vri = dss?.lookupMaybe(PDFName.of('VRI'), PDFDict);
  return new Set(vri ? vri.keys().map((k) => k.decodeText()) : []);
}

export async function verifyPdfSignatures(pdf: Buffer, opts: ValidateOptions): Promise<SignatureReport[]> {
  const { doc } = await loadPdf(pdf, false);
  const vri = dssVriKeys(doc);
  const reports: SignatureReport[] = [];
  for (const s of storedSignatures(doc)) {
    const problem = rangeProblem(pdf, s);
    const base = { fieldName: s.fieldName, signedAt: s.signingTime?.toISOString() ?? null };
    if (problem || !s.cms) {
      reports.push({
        format: 'pades', level: 'B', valid: false, integrity: false, signer: null, ...base,
        validation: { code: 'NOT_CHECKED', ok: false, message: 'signature not checked' },
        coversWholeDocument: false, coversContent: false, changedAfterSigning: true, errors: [problem ?? 'empty /Contents'], warnings: [],
      });
      continue;
    }
    const [a, b, c, d] = s.byteRange!;
    const checks = await checkCms(s.cms, [pdf.subarray(a, a + b), pdf.subarray(c, c + d)]);
    const r = await reportFromCms(checks[0], 'pades', opts);
    const covers = c + d === pdf.length;
    if (s.subFilter !== 'ETSI.CAdES.detached') r.warnings.push(`SubFilter ${s.subFilter ?? 'missing'} (not PAdES)`);
    reports.push({
      ...r, ...base, signedAt: base.signedAt ?? r.signedAt,
      level: r.level === 'T' && s.contentsRaw && vri.has(vriKey(s.contentsRaw.toString('hex'))) ? 'LT' : r.level,
      coversWholeDocument: covers, changedAfterSigning: !covers,
    });
  }
  return reports;
}
