// The demo portal's pages in headless Chromium against a stand-in bridge (a loopback ws server
// that signs like auth.sign with the test PKI's keys, or answers with a scripted error).
// The e2e test against the real daemon comes separately; this one checks the page logic.
import { createPrivateKey, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startDemoPortal, type DemoPortal } from '../src/portal/demo/index.js';
import { authMessage } from '../src/portal/index.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
const der64 = (n: string) => readFileSync(join(OUT, `${n}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, '');
const ISSUER: Record<string, string> = { 'leaf-org': 'ca-rsa', 'leaf-expired': 'ca-rsa', 'leaf-person': 'ca-ec' };

/** What the stand-in bridge does on auth.sign: sign with a leaf, or fail with a bridge code. */
let behaviour: { leaf: string } | { code: string; data?: Record<string, unknown>; message?: string } = { leaf: 'leaf-org' };
let bridge: WebSocketServer;
let portal: DemoPortal;
let browser: Browser;
let page: Page;
const seenOrigins: string[] = [];

function authSign(origin: string, nonce: string) {
  if (!('leaf' in behaviour)) return { error: { code: -32000, message: behaviour.message ?? behaviour.code, data: { code: behaviour.code, ...behaviour.data } } };
  const key = createPrivateKey(readFileSync(join(OUT, `${behaviour.leaf}.key.pem`)));
  const ec = key.asymmetricKeyType === 'ec';
  const signature = sign('sha256', authMessage(origin, nonce), ec ? { key, dsaEncoding: 'ieee-p1363' } : key).toString('base64');
  return { result: { format: 'kyso-auth:1', certificate: der64(behaviour.leaf), chain: [der64(ISSUER[behaviour.leaf])], algorithm: ec ? 'ES256' : 'RS256', signature, origin } };
}

beforeAll(async () => {
  bridge = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1' });
  await new Promise<void>((r) => bridge.once('listening', () => r()));
  bridge.on('connection', (sock, req) => {
    const origin = String(req.headers.origin);
    seenOrigins.push(origin);
    sock.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      const reply = msg.method === 'bridge.info'
        ? { result: { name: 'kyso-bridge', version: '0.1.0-test', protocol: 1, platform: 'linux', features: ['auth.sign'] } }
        : msg.method === 'auth.sign' ? authSign(origin, msg.params.nonce)
          : { error: { code: -32601, message: 'Method not found' } };
      sock.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...reply }));
    });
  });
  const daemonUrl = `ws://127.0.0.1:${(bridge.address() as AddressInfo).port}/v1`;
  portal = await startDemoPortal({
    port: 0, host: '127.0.0.1', daemonUrl, revocation: 'off',
    trustAnchors: [readFileSync(join(OUT, 'root-national.pem'), 'utf8'), readFileSync(join(OUT, 'root-gov.pem'), 'utf8')],
  });
  if (CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  for (const c of bridge?.clients ?? []) c.terminate();
  await new Promise((r) => bridge?.close(r));
});

beforeEach(async () => {
  behaviour = { leaf: 'leaf-org' };
  if (browser) {
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => { throw e; });
  }
});

const screen = (name: string) => page.locator(`[data-screen="${name}"]`);

async function startRegistration(audience = 'Doanh nghiệp') {
  await page.goto(portal.url + '/dang-ky');
  await page.getByRole('tab', { name: audience }).click();
  await page.locator('#method-usb').click();
  await expect.poll(() => page.locator('#plugin-status').textContent()).toContain('Đã kết nối');
  await page.locator('#btn-register-usb').click();
}

describe.skipIf(!CHROMIUM)('demo portal pages (Chromium)', () => {
  it('Đăng ký bằng USB ký số → verified fields → e-mail → account → Đăng nhập', async () => {
    await startRegistration();
    await screen('register-form').waitFor();
    expect(await page.locator('#label-name').textContent()).toBe('Tên tổ chức');
    expect(await page.locator('#f-name').inputValue()).toBe('Công ty TNHH Phần mềm Dương Hòa');
    expect(await page.locator('#f-id').inputValue()).toBe('3301234567');
    expect(await page.locator('#f-valid-from').inputValue()).toBe('01/01/2024');
    expect(await page.locator('#f-valid-to').inputValue()).toBe('01/01/2046'); // 23:59:59Z is the next day in Hà Nội
    expect(await page.locator('#f-ca').inputValue()).toBe('Kyso Test VNPT-CA SHA2');
    expect(await page.locator('#f-name').getAttribute('readonly')).not.toBeNull();
    await page.locator('#f-email').fill('ketoan@duonghoa.vn');
    await page.locator('#btn-register-submit').click();
    await screen('register-done').waitFor();
    expect(seenOrigins.at(-1)).toBe(portal.origin);

    await page.locator('#screen-register-done [data-action="login"]').click();
    await screen('logged-in').waitFor();
    expect(await page.locator('#screen-logged-in [data-field="name"]').textContent()).toBe('Công ty TNHH Phần mềm Dương Hòa');

    // Second registration of the same organisation: refused politely.
    const other = await (await browser.newContext()).newPage();
    page = other;
    await startRegistration();
    await screen('err-account-exists').waitFor();
    expect(await page.locator('#screen-err-account-exists [data-field="message"]').textContent()).toContain('đã có tài khoản');
  });

  const failures: [string, typeof behaviour, string][] = [
    ['wrong PIN with tries left', { code: 'PIN_INCORRECT', data: { retriesLeft: 2 }, message: 'Mã PIN không đúng. Còn 2 lần thử.' }, 'err-pin'],
    ['PIN locked', { code: 'PIN_LOCKED' }, 'err-pin-locked'],
    ['cancelled', { code: 'USER_CANCELLED' }, 'err-cancelled'],
    ['origin not allowed', { code: 'ORIGIN_NOT_ALLOWED' }, 'err-origin'],
    ['no token', { code: 'TOKEN_NOT_PRESENT' }, 'err-token'],
    ['driver missing', { code: 'DRIVER_ERROR' }, 'err-token'],
    ['bridge says certificate invalid', { code: 'CERTIFICATE_INVALID', data: { status: { ok: false, code: 'EXPIRED', message: 'Chứng thư số đã hết hạn.' } } }, 'err-cert'],
    ['expired certificate caught by the server', { leaf: 'leaf-expired' }, 'err-cert'],
  ];
  for (const [label, b, want] of failures) {
    it(`shows its own screen: ${label}`, async () => {
      behaviour = b;
      await startRegistration();
      await screen(want).waitFor();
      if (want === 'err-pin') expect(await page.locator('#screen-err-pin [data-field="retries"]').textContent()).toContain('Còn 2 lần thử');
      if (want === 'err-cert') expect(await page.locator('#screen-err-cert [data-field="message"]').textContent()).toMatch(/hết hạn/);
    });
  }

  it('plugin not running: install guidance', async () => {
    const dead = await startDemoPortal({ port: 0, daemonUrl: 'ws://127.0.0.1:1/v1', trustAnchors: [], revocation: 'off' });
    try {
      await page.goto(dead.url + '/dang-ky');
      await page.locator('#method-usb').click();
      await expect.poll(() => page.locator('#plugin-status').textContent()).toContain('Chưa kết nối');
      await page.locator('#btn-register-usb').click();
      await screen('err-plugin').waitFor();
      expect(await screen('err-plugin').textContent()).toContain('kyso-bridge trust install');
    } finally {
      await dead.close();
    }
  });
});
