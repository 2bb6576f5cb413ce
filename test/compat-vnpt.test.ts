// VNPT-CA Plugin compatibility over a real wss socket (port 0 via --compat-port): one reused
// socket, `{functionID, funcCallback, args, domain}` → `"<result>*<callback>"`, each function the
// way vnpt-plugin.js sends it; signatures checked with node:crypto, openssl cms and xmlsec1.
import { verify as verifySig } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDocument } from '../src/documents/index.js';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { Workdir } from './support/document-tools.js';
import { freshSoftHsm } from './support/softhsm.js';
import { samplePdf } from './support/pdf-samples.js';
import { VnptClient, waitForCompat } from './support/compat-clients.js';
import { CA_GOV, DAEMON_TRUST, GOV, GOV_PIN, LEAF, ROOT_GOV, SAMPLE_XML, cmsVerify, daemonCa, dialogNamed, sha256, xmlsecVerifyGov } from './support/compat-fixtures.js';

const PORTAL = 'https://portal.example';
const FOREIGN = 'http://evil.example';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('VNPT-CA compatibility endpoint', () => {
  const env = freshSoftHsm([GOV]);
  const w = new Workdir();
  let d: TestDaemon;
  let url: string;
  let ca: string;
  let c: VnptClient;

  beforeAll(async () => {
    d = await startTestDaemon(env, ['--compat', 'vnpt', '--compat-port', 'vnpt=0', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL, ...DAEMON_TRUST]);
    url = (await waitForCompat(d, ['vnpt'])).vnpt!;
    ca = daemonCa(d);
    c = await VnptClient.connect(url, { origin: PORTAL, ca });
  });
  afterAll(async () => { c?.close(); await d?.stop(); env.cleanup(); w.cleanup(); });

  const signOk = (r: [string, string]) => {
    const j = JSON.parse(r[0]) as { code: number; data: string; error: string };
    expect(j, r[0]).toMatchObject({ code: 0 });
    return Buffer.from(j.data, 'base64');
  };

  it('path /plugin on wss; checkPlugin (7) "1", getVersion (11), setLicenseKey (6) {"code":1}, checkPluginAdvanced (13) fails honestly', async () => {
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/plugin$/);
    expect(await c.call(7, [''])).toEqual(['1', 'callbackDefault']);
    expect((await c.call(11, ['']))[0]).toMatch(/^kyso-bridge /);
    expect(JSON.parse((await c.call(6, ['PExpY2Vuc2U+'], { callback: 'onLicense' }))[0])).toEqual({ code: 1 });
    expect(await c.call(13, ['ab3Kx'])).toEqual(['-1', 'callbackDefault']);
  });

  it('getCertInfo (0) and GetAllCertificates (45): serial, CNs, parseable dates, base64; the callback name is echoed', async () => {
    const [r, cb] = await c.call(0, ['1', null], { callback: 'myCertCallback' });
    expect(cb).toBe('myCertCallback');
    const info = JSON.parse(r);
    expect(info).toMatchObject({ serial: '7C0001', subjectCN: 'Lê Văn Thúc', issuerCN: expect.stringContaining('') });
    expect(Number.isNaN(new Date(info.notAfter).getTime())).toBe(false);
    expect(Buffer.from(info.base64, 'base64').equals(LEAF.raw)).toBe(true);
    const all = JSON.parse((await c.call(45, []))[0]);
    expect(all.map((x: { serial: string }) => x.serial)).toEqual(['7C0001']);
  });

  it('signHash (9): a base64 SHA-256 digest signed PKCS#1 v1.5, verified with the certificate', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const sig = signOk(await c.call(9, [b64(sha256('dữ liệu'))]));
    expect(verifySig('sha256', Buffer.from('dữ liệu'), LEAF.publicKey, sig)).toBe(true);
  });

  it('signCms (4): the login pattern, an attached CMS openssl verifies, carrying the data', async () => {
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const random = 'aZ3kP9qL0mN5xW2e';
    const cms = signOk(await c.call(4, [b64(random)], { callback: 'callbackDefault' }));
    const v = cmsVerify(w, cms);
    expect(v.status, v.out).toBe(0);
    expect(v.out).toContain(random);
    expect(dialogNamed(d, PORTAL)).toBe(true);
  });

  it('signXml (1) with an XmlSigner: NodeToSign / TagSaveResult honoured, xmlsec1 verifies', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const signer = JSON.stringify({ NodeToSign: 'data', TagSaveResult: 'ChuKy', DigestMethod: 'SHA1', SignatureMethod: 'RSAwithSHA1' });
    const xml = signOk(await c.call(1, [b64(SAMPLE_XML), signer])).toString('utf8');
    expect(xml).toMatch(/<ChuKy>\s*<(\w+:)?Signature/);
    expect(xml).toContain('URI="#data"');
    expect(xml).toContain('xmldsig-more#rsa-sha256'); // the SHA-1 defaults are not followed
    const x = xmlsecVerifyGov(w, Buffer.from(xml));
    expect(x.status, x.out).toBe(0);
  });

  it('signPdf (2) with a PdfSigner box: a PAdES signature that verifies', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const pdf = await samplePdf({ pages: 2 });
    const signed = signOk(await c.call(2, [b64(pdf), JSON.stringify({ page: 1, llx: 50, lly: 50, urx: 250, ury: 120, Description: 'Phê duyệt' })]));
    const report = await verifyDocument(signed, { validation: { trustAnchors: [readFileSync(ROOT_GOV)], intermediates: [readFileSync(CA_GOV)], revocation: 'off' } });
    expect(report.signatures[0]).toMatchObject({ valid: true, signer: { serialNumber: '7C0001' } });
  });

  it('signArrDataAdvanced (10): cmsdetached (the iOffice login), xml and pdf items; JSON.parse(JSON.parse(r)[0]) works', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }, { confirm: 'ok' }, { pin: GOV_PIN }, { confirm: 'ok' }, { pin: GOV_PIN }]);
    const items = [
      JSON.stringify({ data: b64('1234567890'), type: 'cmsdetached', sigOptions: null }),
      JSON.stringify({ data: b64(SAMPLE_XML), type: 'xml', sigOptions: JSON.stringify({ NodeToSign: 'data' }) }),
      JSON.stringify({ data: b64(await samplePdf({ pages: 1 })), type: 'pdf', sigOptions: '{}' }),
    ];
    const [r] = await c.call(10, [JSON.stringify(items), '7C0001', '0', '0']);
    const out = (JSON.parse(r) as string[]).map((s) => JSON.parse(s) as { code: number; data: string; serial: string });
    expect(out.map((o) => o.code)).toEqual([0, 0, 0]);
    expect(out[0]!.serial).toBe('7C0001');
    expect(cmsVerify(w, Buffer.from(out[0]!.data, 'base64'), Buffer.from('1234567890')).status).toBe(0);
    expect(xmlsecVerifyGov(w, Buffer.from(out[1]!.data, 'base64')).status).toBe(0);
    expect(Buffer.from(out[2]!.data, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const one = await c.call(10, [JSON.stringify([JSON.stringify({ data: b64('x'), type: 'docx' })]), '7C0001', '0', '0']);
    expect(JSON.parse(JSON.parse(one[0]))).toMatchObject({ code: 1, error: expect.stringContaining('docx') });
  });

  it('signArrData (8): bare base64 items as detached CMS', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const [r] = await c.call(8, [JSON.stringify([b64('abc')]), '7C0001']);
    const item = JSON.parse(JSON.parse(r)[0]);
    expect(cmsVerify(w, Buffer.from(item.data, 'base64'), Buffer.from('abc')).status).toBe(0);
  });

  it('CheckValidTime (16), CheckOCSP (18), CheckCRL (21): bare codes; ClearPinCache (40)', async () => {
    expect((await c.call(16, ['7C0001', null]))[0]).toBe('0');
    expect((await c.call(16, ['7C0001', '01/01/2001 00:00:00']))[0]).toBe('3');
    expect((await c.call(16, ['7C0001', '2099-01-01T00:00:00Z']))[0]).toBe('2');
    expect((await c.call(16, ['DEAD01', null]))[0]).toBe('8');
    // Revocation is off for this daemon: the status cannot be checked.
    expect((await c.call(18, ['7C0001', null, 'http://ocsp.evil.example']))[0]).toBe('6');
    expect((await c.call(21, ['7C0001', null, null, null]))[0]).toBe('6');
    expect(JSON.parse((await c.call(40, ['1']))[0])).toMatchObject({ code: 0 });
  });

  it('replies come in request order: a slow signature is not overtaken', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    c.send(4, [b64('order')], { callback: 'first' });
    c.send(7, [''], { callback: 'second' });
    const a = await c.reply();
    const b = await c.reply();
    expect(a[1]).toBe('first');
    expect(JSON.parse(a[0]).code).toBe(0);
    expect(b).toEqual(['1', 'second']);
  });

  it('a spoofed domain is refused before any dialog; a foreign origin gets code 5; bad frames get code 1', async () => {
    d.pinentry.clearTranscript();
    const spoof = await c.call(4, [b64('x')], { domain: 'dichvucong.gov.vn' });
    expect(JSON.parse(spoof[0])).toMatchObject({ code: 5 });
    expect(await c.call(7, [''], { domain: 'dichvucong.gov.vn' })).toEqual(['-1', 'callbackDefault']);
    const evil = await VnptClient.connect(url, { origin: FOREIGN, ca });
    expect(JSON.parse((await evil.call(4, [b64('x')]))[0])).toMatchObject({ code: 5 });
    expect(JSON.parse((await evil.call(0, ['1', null]))[0])).toMatchObject({ code: 1 });
    expect((await evil.call(16, ['7C0001', null]))[0]).toBe('1');
    evil.close();
    expect(d.pinentry.transcript().filter((t) => t.cmd === 'START')).toHaveLength(0);
    c.sendRaw('not json');
    expect(JSON.parse((await c.reply())[0])).toMatchObject({ code: 1 });
    expect(JSON.parse((await c.call(99, []))[0])).toMatchObject({ code: 1, error: expect.stringContaining('99') });
    expect(d.logs.join('\n')).not.toContain(GOV_PIN);
  });
});
