// `kyso-bridge verify`: exit 0 only when every signature is valid, JSON as the issue defines it,
// REVOCATION_UNKNOWN valid with a warning unless --revocation require, unusable input exit 2.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify } from '../src/cli/verify.js';
import { signDocument } from '../src/documents/sign-document.js';
import { fixtureKeySigner } from './support/digest-signers.js';
import { ROOT, Workdir } from './support/document-tools.js';
import { samplePdf } from './support/pdf-samples.js';
import { PkiServer } from './support/pki-server.js';

describe('kyso-bridge verify', () => {
  const w = new Workdir();
  const pki = new PkiServer();
  const content = Buffer.from('Nội dung ký tách rời\n');
  let pdf: string;
  let cms: string;
  let data: string;

  beforeAll(async () => {
    await pki.start();
    const signer = fixtureKeySigner('leaf-org');
    const once = await signDocument({ format: 'pades', content: await samplePdf(), signer });
    const twice = await signDocument({ format: 'pades', content: once.output, signer: fixtureKeySigner('leaf-person'), options: { pdf: { visible: { page: 1, rect: [40, 40, 300, 110] } } } });
    pdf = w.write('signed.pdf', twice.output);
    cms = w.write('sig.p7s', (await signDocument({ format: 'cms', content, signer })).output);
    data = w.write('data.txt', content);
  });
  afterAll(async () => {
    await pki.stop();
    w.cleanup();
  });

  async function verify(file: string, opts: Record<string, unknown> = {}): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runVerify(file, { trustAnchor: [ROOT], rootsDir: '/nonexistent', intermediatesDir: '/nonexistent', cacheDir: `${w.dir}/cache`, revocation: 'prefer', ...opts },
      { out: (s) => { out += s; }, err: (s) => { err += s; }, fetch: pki.fetch });
    return { code, out, err };
  }

  it('explains a PDF signed twice, exit 0, and gives the JSON shape', async () => {
    const text = await verify(pdf);
    expect(text.code, text.out + text.err).toBe(0);
    expect(text.out).toContain('Chữ ký / Signature #2 (Signature2): hợp lệ / valid');
    const json = await verify(pdf, { json: true });
    const parsed = JSON.parse(json.out) as { signatures: Record<string, unknown>[] };
    expect(parsed.signatures).toHaveLength(2);
    expect(parsed.signatures[1]).toMatchObject({ format: 'pades', level: 'B', valid: true, signer: { subject: expect.stringContaining('Nguyễn Thị Hồng Nhung'), serialNumber: '6B0001' }, validation: { code: 'VALID' }, coversWholeDocument: true });
    expect(parsed.signatures[0]).toMatchObject({ coversWholeDocument: false, changedAfterSigning: true, valid: true });
  });

  it('exit 1 for a changed byte, exit 2 for a detached CMS without --content, 0 with it', async () => {
    const bytes = readFileSync(pdf);
    bytes[bytes.indexOf('trang 1') + 6] = '9'.charCodeAt(0);
    expect((await verify(w.write('tampered.pdf', bytes))).code).toBe(1);
    const missing = await verify(cms);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('--content');
    expect((await verify(cms, { content: data })).code).toBe(0);
    expect((await verify(w.write('junk.bin', 'hello'))).code).toBe(2);
  });

  it('REVOCATION_UNKNOWN is valid with a warning under prefer, invalid under require', async () => {
    pki.ocspMode = 'down';
    pki.crlMode = 'down';
    try {
      const prefer = await verify(cms, { content: data, json: true, cacheDir: `${w.dir}/cache-2` });
      expect(prefer.code).toBe(0);
      expect(JSON.parse(prefer.out).signatures[0]).toMatchObject({ valid: true, validation: { code: 'REVOCATION_UNKNOWN' } });
      const require = await verify(cms, { content: data, json: true, revocation: 'require', cacheDir: `${w.dir}/cache-3` });
      expect(require.code).toBe(1);
    } finally {
      pki.reset();
    }
  });
});
