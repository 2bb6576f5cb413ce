// The vendor endpoints on their fixed ports (8987, 4433, 8443) with TLS trusted by `trust install`,
// called from headless Chromium by a page of this project the way the vendor scripts call them:
// certificate information, a verifiable hash signature, a CMS login signature and a signed XML.
// The only suite that opens the fixed ports (the others use port 0).
import { X509Certificate, verify as verifySig } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { E2E_READY, diagnose, startE2eWorld, type E2eWorld } from './support/e2e.js';
import type { TestDaemon } from './support/daemon.js';
import { Workdir } from './support/document-tools.js';
import { freshSoftHsm } from './support/softhsm.js';
import { COMPAT_PAGE } from './support/compat-page.js';
import { compatUrls } from './support/compat-clients.js';
import { GOV, GOV_PIN, LEAF, SAMPLE_XML, cmsVerify, dialogNamed, sha256, xmlsecVerifyGov } from './support/compat-fixtures.js';

describe.skipIf(!E2E_READY)('vendor scripts\' calls from Chromium to the fixed compatibility ports', () => {
  const env = freshSoftHsm([GOV]);
  const w = new Workdir();
  let world: E2eWorld;
  let d: TestDaemon;
  let page: Page;
  let site: Server;
  let pageOrigin: string;
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  beforeAll(async () => {
    world = await startE2eWorld('compat');
    // The page comes from a real loopback server: Chromium's local-network checks let a loopback
    // page reach loopback ports (a page fulfilled by the test harness has no address and is blocked).
    site = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(COMPAT_PAGE));
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    const origin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    d = await world.startDaemon(env, { args: ['--compat', 'vgca,vnpt,bkav', '--allow-origin', origin, '--allow-raw-signing', origin] });
    pageOrigin = origin;
    expect(compatUrls(d)).toEqual({ vgca: 'wss://127.0.0.1:8987/<Endpoint>', vnpt: 'wss://127.0.0.1:4433/plugin', bkav: 'wss://127.0.0.1:8443' });
    page = await world.newPage();
    await page.goto(`${pageOrigin}/compat-test`);
  });
  afterAll(async () => { await world?.close(); site?.close(); env.cleanup(); w.cleanup(); });
  const failed = () => onTestFailed(() => diagnose(page, d));

  it('VGCA: GetCertInfo, SignMsg over a digest (verifies), Auth as a CMS (openssl verifies)', async () => {
    failed();
    const info = JSON.parse(await page.evaluate(() => (window as unknown as { vgca: (e: string, f: string) => Promise<string> }).vgca('GetCertInfo', 'get_cert_info')));
    expect(info.Status).toBe(0);
    expect(Buffer.from(info.CertInfo.Base64Data, 'base64').equals(LEAF.raw)).toBe(true);

    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const frame = JSON.stringify({ HashAlg: 'SHA256', HashValue: sha256('hồ sơ').toString('base64'), Encode: 'RSA' });
    const msg = JSON.parse(await page.evaluate((f) => (window as unknown as { vgca: (e: string, f: string) => Promise<string> }).vgca('SignMsg', f), frame));
    expect(msg.Status).toBe(0);
    expect(verifySig('sha256', Buffer.from('hồ sơ'), new X509Certificate(Buffer.from(msg.CertBase64, 'base64')).publicKey, Buffer.from(msg.Signature, 'base64'))).toBe(true);
    expect(dialogNamed(d, pageOrigin)).toBe(true);

    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const auth = JSON.parse(await page.evaluate(() => (window as unknown as { vgca: (e: string, f: string) => Promise<string> }).vgca('Auth', 'AuthCode-77')));
    expect(cmsVerify(w, Buffer.from(auth.Signature, 'base64')).status).toBe(0);
  });

  it('VNPT-CA on localhost:4433: checkPlugin, getCertInfo, signCms login (openssl verifies), signXml (xmlsec1 verifies)', async () => {
    failed();
    type Vnpt = { vnpt: (id: number, args: unknown[]) => Promise<string[]> };
    expect(await page.evaluate(() => (window as unknown as Vnpt).vnpt(7, ['']))).toEqual(['1', 'callbackDefault']);
    const [cert] = await page.evaluate(() => (window as unknown as Vnpt).vnpt(0, ['1', null]));
    expect(JSON.parse(cert!).serial).toBe('7C0001');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const [cms] = await page.evaluate((data) => (window as unknown as Vnpt).vnpt(4, [data]), b64('random16chars-ab'));
    expect(cmsVerify(w, Buffer.from(JSON.parse(cms!).data, 'base64')).status).toBe(0);
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const [xml] = await page.evaluate((data) => (window as unknown as Vnpt).vnpt(1, [data, JSON.stringify({ NodeToSign: 'data' })]), b64(SAMPLE_XML));
    expect(xmlsecVerifyGov(w, Buffer.from(JSON.parse(xml!).data, 'base64')).status).toBe(0);
  });

  it('BkavCA on localhost:8443: Connect, GetCertListByFilter, SignCMS (openssl verifies), CheckLogin refused', async () => {
    failed();
    type Bkav = { bkavConnect: () => Promise<string>; bkav: (id: number, args: string[]) => Promise<string> };
    expect(await page.evaluate(() => (window as unknown as Bkav).bkavConnect())).toBe('1');
    const list = await page.evaluate(() => (window as unknown as Bkav).bkav(13, ['SerialNumber', '1', '1', '1']));
    expect(Buffer.from(list, 'base64').toString('utf8')).toContain('<SerialNumber>7C0001</SerialNumber>');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const cms = await page.evaluate((data) => (window as unknown as Bkav).bkav(38, [data, '1']), b64('bkav login'));
    expect(cmsVerify(w, Buffer.from(cms, 'base64')).status).toBe(0);
    expect(await page.evaluate((pin) => (window as unknown as Bkav).bkav(37, ['1', pin]), GOV_PIN)).toBe('0');
  });
});
