// CMS / CAdES through the document engine: detached and attached, B-B and B-T, RSA and EC, with
// fixture keys and SoftHSM keys; every output checked by `openssl cms -verify` (and `openssl ts
// -verify` for the time-stamp token), then by the project's own verifier.
import { readFileSync } from 'node:fs';
import * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDocument } from '../src/documents/sign-document.js';
import { verifyDocument } from '../src/documents/verify.js';
import { openSigners, SIGNER_NAMES, opensslCmsVerify, opensslTsVerify, run, ROOT, Workdir, type NamedSigner } from './support/document-tools.js';
import { PkiServer } from './support/pki-server.js';
import { TsaServer } from './support/tsa-server.js';

const content = Buffer.from('Tờ khai đăng ký — dữ liệu ký thử CMS\n'.repeat(20));

function unsignedToken(cms: Buffer): { token: Buffer; signatureValue: Buffer } {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(cms));
  const si = new pkijs.SignedData({ schema: info.content }).signerInfos[0];
  const attr = si.unsignedAttrs!.attributes.find((a) => a.type === '1.2.840.113549.1.9.16.2.14')!;
  return { token: Buffer.from(attr.values[0].toBER()), signatureValue: Buffer.from(si.signature.valueBlock.valueHexView) };
}

describe('CMS / CAdES signatures', () => {
  const w = new Workdir();
  const tsa = new TsaServer();
  const pki = new PkiServer();
  let signers: NamedSigner[];
  let close: () => Promise<void>;
  const validation = () => ({ trustAnchors: [readFileSync(ROOT, 'utf8')], fetch: pki.fetch, rootsDir: false as const, intermediatesDir: false as const, cacheDir: `${w.dir}/cache` });

  beforeAll(async () => {
    await tsa.start();
    await pki.start();
    ({ signers, close } = await openSigners());
  });
  afterAll(async () => {
    await close?.();
    await tsa.stop();
    await pki.stop();
    w.cleanup();
  });

  const contentFile = () => w.write('content.bin', content);

  SIGNER_NAMES.forEach((signerName, i) => {
    it(`signs detached B-B and B-T, and attached B-B, with a ${signerName} key`, async () => {
      const { name, signer } = signers[i];
      const before = signer.calls;
      const b = await signDocument({ format: 'cms', content, signer, level: 'B' });
      expect(signer.calls - before, `${name}: one signer call per document`).toBe(1);
      expect(opensslCmsVerify(w.write(`b${i}.p7s`, b.output), contentFile())).toMatchObject({ status: 0 });
      const printed = run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${w.dir}/b${i}.p7s`]).out;
      expect(printed).toContain('id-smime-aa-signingCertificateV2');
      expect(printed).toContain('signingTime');

      const t = await signDocument({ format: 'cms', content, signer, level: 'T', tsa: { url: tsa.url } });
      expect(opensslCmsVerify(w.write(`t${i}.p7s`, t.output), contentFile())).toMatchObject({ status: 0 });
      const { token, signatureValue } = unsignedToken(t.output);
      const ts = opensslTsVerify(w, token, signatureValue);
      expect(ts.out).toContain('Verification: OK');

      const a = await signDocument({ format: 'cms', content, signer, options: { cms: { detached: false } } });
      expect(opensslCmsVerify(w.write(`a${i}.p7s`, a.output))).toMatchObject({ status: 0 });

      const report = await verifyDocument(t.output, { content, validation: validation() });
      expect(report.signatures).toHaveLength(1);
      expect(report.signatures[0]).toMatchObject({ format: 'cms', level: 'T', valid: true, integrity: true, validation: { code: 'VALID' }, timestamp: { valid: true } });
    });
  });

  it('signs with SHA-1 only when asked, and openssl accepts it', async () => {
    const r = await signDocument({ format: 'cms', content, signer: signers[0].signer, hashAlgorithm: 'SHA-1' });
    expect(opensslCmsVerify(w.write('sha1.p7s', r.output), contentFile()).status).toBe(0);
    expect(run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${w.dir}/sha1.p7s`]).out).toContain('sha1');
  });

  it('detects content that changed after signing', async () => {
    const r = await signDocument({ format: 'cms', content, signer: signers[0].signer });
    const changed = Buffer.from(content);
    changed[5] ^= 0x01;
    expect(opensslCmsVerify(w.write('x.p7s', r.output), w.write('changed.bin', changed)).status).not.toBe(0);
    const report = await verifyDocument(r.output, { content: changed, validation: validation() });
    expect(report.signatures[0]).toMatchObject({ valid: false, integrity: false });
    expect(report.signatures[0].errors.join()).toContain('messageDigest');
  });

  it('never downgrades: level T with the TSA down, answering garbage, or not configured is TSA_UNAVAILABLE', async () => {
    const signer = signers[0].signer;
    tsa.mode = 'down';
    await expect(signDocument({ format: 'cms', content, signer, level: 'T', tsa: { url: tsa.url } })).rejects.toMatchObject({ code: 'TSA_UNAVAILABLE' });
    tsa.mode = 'garbage';
    await expect(signDocument({ format: 'cms', content, signer, level: 'T', tsa: { url: tsa.url } })).rejects.toMatchObject({ code: 'TSA_UNAVAILABLE' });
    tsa.mode = 'ok';
    await expect(signDocument({ format: 'cms', content, signer, level: 'T' })).rejects.toMatchObject({ code: 'TSA_UNAVAILABLE' });
    await expect(signDocument({ format: 'cms', content, signer, level: 'LT', tsa: { url: tsa.url } })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('refuses an oversized or empty document before anything is signed', async () => {
    const signer = signers[0].signer;
    const before = signer.calls;
    await expect(signDocument({ format: 'cms', content, signer, maxBytes: 100 })).rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    await expect(signDocument({ format: 'cms', content: Buffer.alloc(0), signer })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID' });
    expect(signer.calls).toBe(before);
  });
});
