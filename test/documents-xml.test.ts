// XML-DSig through the document engine: the Vietnamese profiles and generic, RSA and EC, key files
// and SoftHSM; every output checked by xmlsec1 against the test root; the bytes outside the
// inserted Signature are the input's; bad Ids, XPath injection and DTDs are clear errors.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDocument } from '../src/documents/facts.js';
import { signDocument } from '../src/documents/sign-document.js';
import { verifyDocument } from '../src/documents/verify.js';
import { fixtureDer } from './support/digest-signers.js';
import { openSigners, ROOT, SIGNER_NAMES, Workdir, xmlsecVerify, type NamedSigner } from './support/document-tools.js';
import { PkiServer } from './support/pki-server.js';

const sample = (name: string) => readFileSync(`test/fixtures/documents/${name}.xml`);
const PROFILES = [
  { profile: 'vn-einvoice', file: 'einvoice', ids: ['Id:DLHDon', 'Id:Object'], parent: 'NBan' },
  { profile: 'vn-tax', file: 'tokhai', ids: ['id:HSoKhaiThue', 'Id:Object'], parent: 'CKyDTu' },
  { profile: 'vn-bhxh', file: 'bhxh', ids: ['Id:Object'], parent: 'CKy_Dvi' },
] as const;

/** The output with the inserted Signature taken out again, self-closing parents restored. */
function withoutSignature(output: Buffer, signatureXml: string, parent: string, input: Buffer): string {
  const text = output.toString('utf8');
  const at = text.indexOf(signatureXml);
  expect(at, 'the Signature element appears verbatim in the output').toBeGreaterThan(0);
  const stripped = text.slice(0, at) + text.slice(at + signatureXml.length);
  return input.toString('utf8').includes(`<${parent}/>`) ? stripped.replace(`<${parent}></${parent}>`, `<${parent}/>`) : stripped;
}

describe('XML-DSig signatures', () => {
  const w = new Workdir();
  const pki = new PkiServer();
  let signers: NamedSigner[];
  let close: () => Promise<void>;

  beforeAll(async () => {
    await pki.start();
    ({ signers, close } = await openSigners());
  });
  afterAll(async () => {
    await close?.();
    await pki.stop();
    w.cleanup();
  });

  SIGNER_NAMES.forEach((signerName, i) => {
    for (const p of PROFILES) {
      it(`${p.profile} with a ${signerName} key: xmlsec1 verifies, bytes outside the Signature unchanged`, async () => {
        const input = sample(p.file);
        const { signer } = signers[i];
        const r = await signDocument({ format: 'xmldsig', profile: p.profile, content: input, signer });
        const file = w.write(`${p.file}-${i}.xml`, r.output);
        const x = xmlsecVerify(file, [...p.ids]);
        expect(x.status, x.out).toBe(0);
        expect(x.out).toContain('SignedInfo References (ok/all): 2/2');
        const signatureXml = r.signatureOnly.toString('utf8');
        expect(withoutSignature(r.output, signatureXml, p.parent, input)).toBe(input.toString('utf8'));
        expect(signatureXml).toMatch(/^<Signature Id="[^"]+" xmlns="http:\/\/www.w3.org\/2000\/09\/xmldsig#">/);
        expect(signatureXml).toContain('<X509SubjectName>');
        expect(signatureXml).toMatch(/<SigningTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d<\/SigningTime>/);
      });
    }
  });

  it('vn-einvoice: the Signature goes into HDon/DSCKS/NBan with Id NBan-<uuid>, Reference 1 is #<DLHDon Id>', async () => {
    const r = await signDocument({ format: 'xmldsig', profile: 'vn-einvoice', content: sample('einvoice'), signer: signers[0].signer });
    const text = r.output.toString('utf8');
    expect(text).toMatch(/<NBan><Signature Id="NBan-[0-9a-f-]{36}"/);
    expect(text).toContain('<Reference URI="#DLHDon-0001">');
    expect(text).toContain('Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"');
    expect(text).toContain('<CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>');
  });

  it('signs with SHA-1 only on request (xmlsec1 still verifies) and the facts warn about it', async () => {
    const content = sample('einvoice');
    const r = await signDocument({ format: 'xmldsig', profile: 'vn-einvoice', content, signer: signers[1].signer, hashAlgorithm: 'SHA-1' });
    expect(r.output.toString()).toContain('xmldsig-more#ecdsa-sha1');
    expect(xmlsecVerify(w.write('sha1.xml', r.output), ['Id:DLHDon', 'Id:Object']).status).toBe(0);
    const facts = await describeDocument({ format: 'xmldsig', profile: 'vn-einvoice', content, hashAlgorithm: 'SHA-1' });
    expect(facts.warnings.map((x) => x.code)).toContain('SHA1');
  });

  it('generic: a referenced Id and a restricted XPath parent; a second signature keeps the first valid', async () => {
    const content = sample('einvoice');
    const first = await signDocument({ format: 'xmldsig', profile: 'generic', content, signer: signers[0].signer, options: { xml: { referenceId: 'DLHDon-0001', signatureParent: "/HDon/*[local-name()='DSCKS']/NBan" } } });
    const second = await signDocument({ format: 'xmldsig', profile: 'generic', content: first.output, signer: signers[1].signer, options: { xml: { referenceId: 'DLHDon-0001', signatureParent: '//DSCKS/NMua', signatureId: 'NMua-1' } } });
    const report = await verifyDocument(second.output, { validation: { trustAnchors: [readFileSync(ROOT, 'utf8')], fetch: pki.fetch, rootsDir: false, intermediatesDir: false, cacheDir: `${w.dir}/cache` } });
    expect(report.signatures.map((s) => [s.valid, s.validation.code])).toEqual([[true, 'VALID'], [true, 'VALID']]);
  });

  it('refuses to invent an Id: DLHDon without Id is DOCUMENT_INVALID and nothing is signed', async () => {
    const signer = signers[0].signer;
    const before = signer.calls;
    const noId = Buffer.from(sample('einvoice').toString().replace(' Id="DLHDon-0001"', ''));
    await expect(signDocument({ format: 'xmldsig', profile: 'vn-einvoice', content: noId, signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID', detail: expect.stringContaining('DLHDon has no Id') });
    expect(signer.calls).toBe(before);
  });

  it('refuses XPath beyond element steps and local-name(), and overlong XPath, with INVALID_PARAMS', async () => {
    const signer = signers[0].signer;
    const content = sample('einvoice');
    for (const xpath of ["//NBan | //NMua", "//*[contains(.,'x')]", "//NBan/@Id", "//NBan[1]", "//*[local-name()='a' or 1=1]", "//*[local-name()='x']/..", 'count(//*)', `/${'A/'.repeat(200)}B`]) {
      await expect(signDocument({ format: 'xmldsig', profile: 'generic', content, signer, options: { xml: { signatureParent: xpath } } }), xpath).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    }
    await expect(signDocument({ format: 'xmldsig', profile: 'generic', content, signer, options: { xml: { referenceId: "x' or '1'='1" } } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('refuses a DTD, a non-UTF-8 encoding, broken XML and level T', async () => {
    const signer = signers[0].signer;
    const dtd = Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>');
    await expect(signDocument({ format: 'xmldsig', content: dtd, signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID' });
    await expect(signDocument({ format: 'xmldsig', content: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a/>'), signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID' });
    await expect(signDocument({ format: 'xmldsig', content: Buffer.from('<a><b></a>'), signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID' });
    await expect(signDocument({ format: 'xmldsig', content: sample('bhxh'), profile: 'vn-bhxh', signer, level: 'T', tsa: { url: 'http://127.0.0.1:1/' } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('detects a changed invoice amount after signing', async () => {
    const r = await signDocument({ format: 'xmldsig', profile: 'vn-einvoice', content: sample('einvoice'), signer: signers[0].signer });
    const tampered = Buffer.from(r.output.toString('utf8').replace('<TgTTTBSo>11000000<', '<TgTTTBSo>11000001<'));
    expect(xmlsecVerify(w.write('tampered.xml', tampered), ['Id:DLHDon', 'Id:Object']).status).not.toBe(0);
    const report = await verifyDocument(tampered, { validation: { trustAnchors: [readFileSync(ROOT, 'utf8')], revocation: 'off', rootsDir: false, intermediatesDir: false } });
    expect(report.signatures[0]).toMatchObject({ valid: false, integrity: false });
  });

  it('gives the e-invoice facts and names both tax codes when the seller MST is not the certificate MST', async () => {
    const content = sample('einvoice');
    const same = await describeDocument({ format: 'xmldsig', profile: 'vn-einvoice', content, certificate: fixtureDer('leaf-org') });
    expect(same.invoice).toMatchObject({ templateCode: '1', series: 'C25TAA', number: '123', date: '2025-03-15', currency: 'VND', seller: { name: 'Công ty TNHH Phần mềm Dương Hòa', taxCode: '3301234567' }, buyer: { name: 'Công ty Cổ phần Khách Hàng & Đối Tác' }, total: '11000000' });
    expect(same.warnings).toEqual([]);
    expect(same.fingerprint).toMatch(/^[0-9a-f]{8}…[0-9a-f]{8}$/);
    expect(same.fingerprint.slice(0, 8)).toBe(same.sha256.slice(0, 8));
    const other = await describeDocument({ format: 'xmldsig', profile: 'vn-einvoice', content, certificate: fixtureDer('leaf-mst-cccd') });
    const warning = other.warnings.find((x) => x.code === 'SELLER_MST_MISMATCH');
    expect(warning).toMatchObject({ invoiceTaxCode: '3301234567', certificateTaxCode: '0401234567-001' });
    expect(warning!.vi).toContain('3301234567');
    expect(warning!.vi).toContain('0401234567-001');
  });
});
