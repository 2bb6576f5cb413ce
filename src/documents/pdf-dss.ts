// B-LT: one more incremental update adding the Document Security Store (ISO 32000-2 §12.8.4.3,
// ETSI EN 319 142-1 §5.4): /Certs (signer chain, TSA chain), /OCSPs, /CRLs, and a /VRI entry keyed
// by the upper-case hex SHA-1 of the signature's /Contents value. An existing DSS is extended.
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFDocument } from '@cantoo/pdf-lib';
import { loadPdf } from './pdf-load.js';
import type { RevocationData } from './revocation-data.js';

export interface DssInput {
  cms: Buffer;
  /** The /Contents hex digits as written (CMS + zero padding). */
  contentsHex: Buffer;
  revocation: RevocationData;
  tsaCertificates: Buffer[];
}

/** ETSI EN 319 142-1: the key is the SHA-1 of the bytes of the signature's /Contents string. */
export function vriKey(contentsHex: Buffer | string): string {
  const bytes = Buffer.from(contentsHex.toString('latin1'), 'hex');
  return createHash('sha1').update(bytes).digest('hex').toUpperCase();
}

function markChanged(doc: PDFDocument, ref: PDFRef): void {
  (doc.context as unknown as { snapshot: { markRefForSave(r: PDFRef): void } }).snapshot.markRefForSave(ref);
}

/** The DSS array under `key`, created when missing (a direct array inside the DSS dictionary). */
function dssArray(doc: PDFDocument, dss: PDFDict, key: string): PDFArray {
  const existing = dss.lookupMaybe(PDFName.of(key), PDFArray);
  if (existing) {
    const raw = dss.get(PDFName.of(key));
    if (raw instanceof PDFRef) markChanged(doc, raw);
    return existing;
  }
  const arr = doc.context.obj([]);
  dss.set(PDFName.of(key), arr);
  return arr;
}

/** Stream refs for DER objects, one per distinct object (already-present ones are not repeated). */
function streams(doc: PDFDocument, ders: Buffer[], seen: Map<string, PDFRef>): PDFRef[] {
  return ders.map((der) => {
    const key = der.toString('base64');
    let ref = seen.get(key);
    if (!ref) {
      ref = doc.context.register(doc.context.flateStream(der));
      seen.set(key, ref);
    }
    return ref;
  });
}

export async function addDssRevision(signed: Buffer, input: DssInput): Promise<Buffer> {
  const { doc } = await loadPdf(signed, true);
  const rootRef = doc.context.trailerInfo.Root as PDFRef;
  const raw = doc.catalog.get(PDFName.of('DSS'));
  let dss: PDFDict;
  if (raw instanceof PDFRef) {
    dss = doc.context.lookup(raw, PDFDict);
    markChanged(doc, raw);
  } else if (raw instanceof PDFDict) {
    dss = raw;
    markChanged(doc, rootRef);
  } else {
    const ref = doc.context.register(doc.context.obj({ Type: 'DSS' }));
    doc.catalog.set(PDFName.of('DSS'), ref);
    markChanged(doc, rootRef);
    dss = doc.context.lookup(ref, PDFDict);
  }
  const seen = new Map<string, PDFRef>();
  const certs = streams(doc, [...input.revocation.certificates, ...input.tsaCertificates], seen);
  const ocsps = streams(doc, input.revocation.entries.flatMap((e) => (e.ocsp ? [e.ocsp] : [])), seen);
  const crls = streams(doc, input.revocation.entries.flatMap((e) => (e.crl ? [e.crl] : [])), seen);
  const add = (key: string, refs: PDFRef[]) => { if (refs.length) { const a = dssArray(doc, dss, key); for (const r of refs) a.push(r); } };
  add('Certs', certs);
  add('OCSPs', ocsps);
  add('CRLs', crls);
  const vri = doc.context.obj({ Cert: certs, ...(ocsps.length ? { OCSP: ocsps } : {}), ...(crls.length ? { CRL: crls } : {}) });
  const vriDict = dss.lookupMaybe(PDFName.of('VRI'), PDFDict) ?? (() => { const d = doc.context.obj({}); dss.set(PDFName.of('VRI'), d); return d; })();
  const vriRaw = dss.get(PDFName.of('VRI'));
  if (vriRaw instanceof PDFRef) markChanged(doc, vriRaw);
  vriDict.set(PDFName.of(vriKey(input.contentsHex)), doc.context.register(vri));
  const out = await doc.commit({ useObjectStreams: false });
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (!buf.subarray(0, signed.length).equals(signed)) throw new Error('the DSS update is not incremental');
  return buf;
}
