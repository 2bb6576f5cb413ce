// BkavCA compatibility over a real wss socket (port 0 via --compat-port): `*`-delimited frames
// ending in `*end`, cut into the script's chunks, one callback slot; the PIN-carrying calls are
// refused with the script's "no permission" result and never reach a dialog.
import { verify as verifySig } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { Workdir } from './support/document-tools.js';
import { freshSoftHsm } from './support/softhsm.js';
import { BKAV_CHUNK, BkavClient, waitForCompat } from './support/compat-clients.js';
import { DAEMON_TRUST, GOV, GOV_PIN, LEAF, SAMPLE_XML, cmsVerify, daemonCa, dialogNamed, sha256, xmlsecVerifyGov } from './support/compat-fixtures.js';

const PORTAL = 'https://portal.example';
const FOREIGN = 'http://evil.example';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('BkavCA compatibility endpoint', () => {
  const env = freshSoftHsm([GOV]);
  const w = new Workdir();
  let d: TestDaemon;
  let url: string;
  let ca: string;
  let c: BkavClient;

  beforeAll(async () => {
    d = await startTestDaemon(env, ['--compat', 'bkav', '--compat-port', 'bkav=0', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL, ...DAEMON_TRUST]);
    url = (await waitForCompat(d, ['bkav'])).bkav!;
    ca = daemonCa(d);
    // Connect: the socket opening is the whole call.
    c = await BkavClient.connect(url, { origin: PORTAL, ca });
  });
  afterAll(async () => { c?.close(); await d?.stop(); env.cleanup(); w.cleanup(); });

  it('GetVersion (30); SetLicenseKey (26, no callback) is accepted and answers nothing, so the next reply is the next call\'s', async () => {
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);
    c.send(26, [b64('<License/>'), 'portal.example'], false);
    c.send(42, ['1'], false);
    expect(await c.call(30, [])).toMatch(/^kyso-bridge /);
    expect(c.unread).toBe(0);
  });

  it('GetCertListByFilter (13): base64 XML with SerialNumber, SubjectDN/CN, IssuerDN/CN, TimeValidTo; filters apply', async () => {
    const xml = Buffer.from(await c.call(13, ['SerialNumber', '1', '1', '1']), 'base64').toString('utf8');
    expect(xml).toContain('<SerialNumber>7C0001</SerialNumber>');
    expect(xml).toMatch(/<SubjectDN>.*<CN>Lê Văn Thúc<\/CN>.*<\/SubjectDN>/);
    expect(xml).toMatch(/<IssuerDN>.*<CN>[^<]+<\/CN>.*<\/IssuerDN>/);
    expect(xml).toMatch(/<TimeValidTo>\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}<\/TimeValidTo>/);
    expect(xml).toContain(`<Base64>${LEAF.raw.toString('base64')}</Base64>`);
    const none = Buffer.from(await c.call(13, ['SubjectCN', 'Nobody', '1', '1']), 'base64').toString('utf8');
    expect(none).not.toContain('<Certificate>');
    const all = Buffer.from(await c.call(12, ['SubjectCN', 'Thúc']), 'base64').toString('utf8');
    expect(all).toContain('7C0001');
  });

  it('CheckToken (18): 1 with the certificate, 3 for another serial', async () => {
    expect(await c.call(18, ['7C0001'])).toBe('1');
    expect(await c.call(18, ['1'])).toBe('1');
    expect(await c.call(18, ['ABCDEF'])).toBe('3');
  });

  it('SignCMS (38): an attached CMS openssl verifies; the dialog names the Origin', async () => {
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const cms = Buffer.from(await c.call(38, [b64('đăng nhập 42'), '7C0001']), 'base64');
    const v = cmsVerify(w, cms);
    expect(v.status, v.out).toBe(0);
    expect(v.out).toContain(Buffer.from('đăng nhập 42').toString('latin1')); // run() reads output as latin1
    expect(dialogNamed(d, PORTAL)).toBe(true);
  });

  it('a frame larger than one chunk is gathered until *end', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const big = Buffer.alloc(200_000, 7);
    expect(b64(big).length).toBeGreaterThan(BKAV_CHUNK);
    const cms = Buffer.from(await c.call(38, [b64(big), '1']), 'base64');
    expect(cmsVerify(w, cms).status).toBe(0);
  });

  it('SignXML (0): the script\'s field order (tagSigning arrives "undefined"), xmlsec1 verifies', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const signed = Buffer.from(await c.call(0, [b64(SAMPLE_XML), 'undefined', 'data', 'ChuKy', 'undefined', '7C0001', '0']), 'base64');
    expect(signed.toString('utf8')).toMatch(/<ChuKy>\s*<(\w+:)?Signature/);
    const x = xmlsecVerifyGov(w, signed);
    expect(x.status, x.out).toBe(0);
    expect(await c.call(8, [signed.toString('base64'), '1'])).toBe('1');
    expect(await c.call(8, [b64(SAMPLE_XML), '1'])).toBe('-2');
  });

  it('SignHash (48 with one digest): PKCS#1 v1.5 over that digest', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const sig = Buffer.from(await c.call(48, [b64(sha256('bkav')), '7C0001']), 'base64');
    expect(verifySig('sha256', Buffer.from('bkav'), LEAF.publicKey, sig)).toBe(true);
  });

  it('CheckLogin (37), ChangePINToken (36), ImportCert (34) carry a PIN from the page: "0", no dialog, no PIN in the log', async () => {
    d.pinentry.clearTranscript();
    expect(await c.call(37, ['1', GOV_PIN])).toBe('0');
    expect(await c.call(36, ['1', GOV_PIN, '999999'])).toBe('0');
    expect(await c.call(34, [b64('p12'), 'pw-42', GOV_PIN])).toBe('0');
    expect(d.pinentry.transcript().filter((t) => t.cmd === 'START')).toHaveLength(0);
    expect(d.logs.join('\n')).not.toContain(GOV_PIN);
    expect(d.logs.join('\n')).not.toContain('pw-42');
  });

  it('a foreign origin: "MA==" for the list, "0" for CheckToken and signing; NativeAppValidate fails honestly', async () => {
    const evil = await BkavClient.connect(url, { origin: FOREIGN, ca });
    expect(await evil.call(13, ['SerialNumber', '1', '1', '1'])).toBe('MA==');
    expect(await evil.call(18, ['1'])).toBe('0');
    expect(await evil.call(38, [b64('x'), '1'])).toBe('0');
    expect(await evil.call(40, ['abcdef'])).toBe('-1');
    expect(await evil.call(999, ['x'])).toBe('-1');
    evil.close();
  });
});
