// PAdES through the document engine: B-B invisible, B-T visible, B-LT with DSS/VRI, always
// incremental; key files and SoftHSM RSA/EC. pdfsig (NSS db holding the test root; the fixture
// OCSP server on the certificates' own port 39180) must say every signature is valid and trusted,
// qpdf --check must pass, and the project's verifier must agree and catch a changed byte.
import { readFileSync } from 'node:fs';
import { PDFDict, PDFName } from '@cantoo/pdf-lib';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PKI_HTTP_PORT } from '../certs-fixtures/pki-spec.js';
import { describeDocument } from '../src/documents/facts.js';
import { loadPdf } from '../src/documents/pdf-load.js';
import { storedSignatures } from '../src/documents/pdf-signatures.js';
import { signDocument } from '../src/documents/sign-document.js';
import { verifyDocument } from '../src/documents/verify.js';
import { nssDb, openSigners, pdfsig, qpdfCheck, ROOT, run, SIGNER_NAMES, Workdir, type NamedSigner } from './support/document-tools.js';
import { samplePdf } from './support/pdf-samples.js';
import { PkiServer } from './support/pki-server.js';
import { TsaServer } from './support/tsa-server.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP8z8DwnwEIGBkZGBgYAA4FAgGkVh9wAAAAAElFTkSuQmCC', 'base64');

describe('PAdES signatures', () => {
  const w = new Workdir();
  const tsa = new TsaServer();
  // pdfsig asks the OCSP URLs baked into the fixture certificates itself.
  const pki = new PkiServer();
  let signers: NamedSigner[];
  let close: () => Promise<void>;
  let db: string;
  const validation = () => ({ trustAnchors: [readFileSync(ROOT, 'utf8')], fetch: pki.fetch, rootsDir: false as const, intermediatesDir: false as const, cacheDir: `${w.dir}/cache` });

  beforeAll(async () => {
    await tsa.start();
    await pki.start(PKI_HTTP_PORT);
    ({ signers, close } = await openSigners());
    db = nssDb(w, ['leaf-org', 'leaf-person']);
  });
  afterAll(async () => {
    await close?.();
    await tsa.stop();
    await pki.stop();
    w.cleanup();
  });

  async function expectAccepted(file: string, count: number): Promise<void> {
    const p = await pdfsig(db, file);
    expect(p.signatures, p.out).toBe(count);
    expect(p.valid, p.out).toBe(count);
    expect(p.trusted, p.out).toBe(count);
    const q = qpdfCheck(file);
    expect([0, 3], q.out).toContain(q.status);
  }

  SIGNER_NAMES.forEach((signerName, i) => {
    it(`signs B-B invisible, then B-T visible, then B-LT visible with a ${signerName} key, each an incremental update`, async () => {
      const { signer } = signers[i];
      const input = await samplePdf({ useObjectStreams: i % 2 === 1 });
      const b = await signDocument({ format: 'pades', content: input, signer, level: 'B' });
      expect(b.output.subarray(0, input.length).equals(input)).toBe(true);
      await expectAccepted(w.write(`b${i}.pdf`, b.output), 1);

      const t = await signDocument({ format: 'pades', content: b.output, signer, level: 'T', tsa: { url: tsa.url }, options: { pdf: { visible: { page: 2, rect: [300, 60, 560, 140], imagePng: PNG }, reason: 'Phê duyệt', location: 'Huế' } } });
      expect(t.output.subarray(0, b.output.length).equals(b.output)).toBe(true);
      await expectAccepted(w.write(`t${i}.pdf`, t.output), 2);

      const lt = await signDocument({ format: 'pades', content: t.output, signer, level: 'LT', tsa: { url: tsa.url }, revocation: { fetch: pki.fetch }, options: { pdf: { visible: { page: 1, rect: [40, 40, 300, 120] } } } });
      expect(lt.output.subarray(0, t.output.length).equals(t.output)).toBe(true);
      await expectAccepted(w.write(`lt${i}.pdf`, lt.output), 3);

      const { doc } = await loadPdf(lt.output, false);
      expect(storedSignatures(doc).map((s) => s.fieldName)).toEqual(['Signature1', 'Signature2', 'Signature3']);
      expect(storedSignatures(doc).every((s) => s.subFilter === 'ETSI.CAdES.detached')).toBe(true);
      const dss = doc.catalog.lookup(PDFName.of('DSS'), PDFDict);
      expect(dss.has(PDFName.of('VRI')) && dss.has(PDFName.of('Certs')) && dss.has(PDFName.of('OCSPs'))).toBe(true);

      // PAdES forbids the signingTime attribute; signingCertificateV2 is there, the token unsigned.
      const si = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(new Uint8Array(lt.signatureOnly)).content }).signerInfos[0];
      expect(si.signedAttrs!.attributes.map((a) => a.type).sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4']);
      expect(si.unsignedAttrs!.attributes.map((a) => a.type)).toEqual(['1.2.840.113549.1.9.16.2.14']);

      const report = await verifyDocument(lt.output, { validation: validation() });
      expect(report.signatures.map((s) => [s.level, s.valid, s.validation.code])).toEqual([['B', true, 'VALID'], ['T', true, 'VALID'], ['LT', true, 'VALID']]);
      expect(report.signatures.map((s) => s.changedAfterSigning)).toEqual([true, true, true]); // later revisions (signatures, DSS)
    });
  });

  it('draws the visible signature text in the embedded Noto Sans', async () => {
    const r = await signDocument({ format: 'pades', content: await samplePdf(), signer: signers[0].signer, options: { pdf: { visible: { page: 1, rect: [40, 40, 320, 120] } } } });
    const file = w.write('fonts.pdf', r.output);
    expect(run('pdffonts', [file]).out).toMatch(/NotoSans-Regular\S*\s+CID TrueType\s+Identity-H\s+yes/);
    const report = await verifyDocument(r.output, { validation: validation() });
    expect(report.signatures[0]).toMatchObject({ valid: true, coversWholeDocument: true, changedAfterSigning: false });
  });

  it('gives the consent facts: pages, existing signatures and where the new one goes', async () => {
    const signed = await signDocument({ format: 'pades', content: await samplePdf({ pages: 4 }), signer: signers[1].signer });
    const facts = await describeDocument({ format: 'pades', content: signed.output, options: { pdf: { visible: { page: 3, rect: [10, 10, 200, 60] } } } });
    expect(facts.pdf).toEqual({ pageCount: 4, signatures: [{ fieldName: 'Signature1', signer: 'Nguyễn Thị Hồng Nhung', page: 1 }], placement: { visible: true, page: 3, rect: [10, 10, 200, 60] } });
  });

  it('detects one changed byte in the signed range', async () => {
    const r = await signDocument({ format: 'pades', content: await samplePdf(), signer: signers[0].signer });
    const tampered = Buffer.from(r.output);
    const at = tampered.indexOf('trang 2');
    tampered[at + 6] = '3'.charCodeAt(0);
    const report = await verifyDocument(tampered, { validation: validation() });
    expect(report.signatures[0]).toMatchObject({ valid: false, integrity: false });
    expect((await pdfsig(db, w.write('tampered.pdf', tampered))).valid).toBe(0);
  });

  it('refuses encrypted and XFA PDFs, bad pages and rectangles, SHA-1, before the signer is asked', async () => {
    const signer = signers[0].signer;
    const before = signer.calls;
    const plain = w.write('plain.pdf', await samplePdf());
    run('qpdf', ['--encrypt', 'user', 'owner', '256', '--', plain, `${w.dir}/enc.pdf`]);
    const encrypted = readFileSync(`${w.dir}/enc.pdf`);
    await expect(signDocument({ format: 'pades', content: encrypted, signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID', detail: expect.stringContaining('encrypted') });
    const { doc } = await loadPdf(await samplePdf(), false);
    doc.catalog.set(PDFName.of('AcroForm'), doc.context.obj({ Fields: [], XFA: doc.context.obj([]) }));
    const xfa = Buffer.from(await doc.save({ useObjectStreams: false }));
    await expect(signDocument({ format: 'pades', content: xfa, signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID', detail: expect.stringContaining('XFA') });
    await expect(signDocument({ format: 'pades', content: Buffer.from('not a pdf at all'), signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID' });
    const pdf = await samplePdf();
    await expect(signDocument({ format: 'pades', content: pdf, signer, options: { pdf: { visible: { page: 9, rect: [0, 0, 100, 100] } } } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(signDocument({ format: 'pades', content: pdf, signer, options: { pdf: { visible: { page: 1, rect: [100, 100, 50, 50] } } } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(signDocument({ format: 'pades', content: pdf, signer, hashAlgorithm: 'SHA-1' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await expect(signDocument({ format: 'pades', content: pdf, signer, options: { pdf: { visible: { page: 1, rect: [0, 0, 100, 100], imagePng: Buffer.from('nope') } } } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(signer.calls).toBe(before);
  });

  it('B-LT: an unreachable OCSP and CRL is REVOCATION_UNAVAILABLE naming the certificate, and nothing is signed', async () => {
    const signer = signers[0].signer;
    const before = signer.calls;
    pki.ocspMode = 'down';
    pki.crlMode = 'down';
    try {
      await expect(signDocument({ format: 'pades', content: await samplePdf(), signer, level: 'LT', tsa: { url: tsa.url }, revocation: { fetch: pki.fetch } }))
        .rejects.toMatchObject({ code: 'REVOCATION_UNAVAILABLE', data: { certificate: expect.stringContaining('Dương Hòa') } });
    } finally {
      pki.reset();
    }
    expect(signer.calls).toBe(before);
    // CRL only: still B-LT, with the CRLs in the DSS.
    pki.ocspMode = 'down';
    try {
      const r = await signDocument({ format: 'pades', content: await samplePdf(), signer, level: 'LT', tsa: { url: tsa.url }, revocation: { fetch: pki.fetch } });
      const { doc } = await loadPdf(r.output, false);
      expect(doc.catalog.lookup(PDFName.of('DSS'), PDFDict).has(PDFName.of('CRLs'))).toBe(true);
    } finally {
      pki.reset();
    }
  });
});
