// End to end, nothing stubbed: the demo portal in headless Chromium → the real daemon
// (`kyso-bridge serve`, wss with its per-install CA, trusted through `kyso-bridge trust` in a
// temporary HOME) → SoftHSM token → consent + PIN through the scripted pinentry → the proof is
// verified by kyso-bridge/portal → account in SQLite → login.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { trustInstall } from '../src/trust/nss.js';
import { startDemoPortal, type DemoPortal } from '../src/portal/demo/index.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { screenshot } from './support/e2e.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
const CITIZEN = tokenSpec('KYSO CONG DAN');

describe.skipIf(!CHROMIUM || !existsSync(CLI))('Đăng ký / Đăng nhập bằng USB ký số, end to end', () => {
  const env = freshSoftHsm([CITIZEN]);
  const home = mkdtempSync(join(tmpdir(), 'kyso-e2e-home-'));
  let portal: DemoPortal;
  let daemon: TestDaemon;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const anchors = ['root-national', 'root-gov'].map((n) => join(OUT, `${n}.pem`));
    portal = await startDemoPortal({
      port: 0, host: '127.0.0.1', revocation: 'off', dbFile: join(home, 'portal.db'),
      trustAnchors: anchors.map((f) => readFileSync(f, 'utf8')),
    });
    // The portal is plain http, so the bridge must allow-list its origin.
    daemon = await startTestDaemon(env, ['--allow-origin', portal.origin, '--revocation', 'off',
      ...anchors.flatMap((f) => ['--trust-anchor', f])]);
    expect(daemon.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/v1$/);
    portal.setDaemonUrl(daemon.url);
    // What a user runs once: the browser then trusts wss://127.0.0.1 (Chromium reads ~/.pki/nssdb).
    const trust = trustInstall({ home, configDir: daemon.configDir });
    expect(trust.databases[0].state).toBe('installed');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env: { ...process.env, HOME: home } });
    page = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await portal?.close();
    env.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  beforeEach(() => {
    // A failure here is usually a dialog or daemon matter: show what they said.
    onTestFailed(() => {
      console.error('daemon log tail:\n' + daemon.logs.slice(-15).join('\n'));
      console.error('pinentry:\n' + daemon.pinentry.transcript().filter((t) => ['CONFIRM', 'GETPIN', 'ANSWER', 'SETERROR', 'START'].includes(t.cmd))
        .map((t) => `${t.time} ${t.pid} ${t.cmd} ${t.text}`).join('\n'));
    });
  });

  const screen = (name: string) => page.locator(`[data-screen="${name}"]`);
  /** The visible screen, with the error text when it is a failure screen (readable test failures). */
  const currentScreen = () => page.evaluate(() => {
    const name = document.body.getAttribute('data-current-screen') ?? '';
    const msg = document.querySelector(`[data-screen="${name}"] [data-field="message"]`)?.textContent;
    return msg ? `${name}: ${msg}` : name;
  });
  /** Waits until the page leaves the in-between screens, then checks where it landed. */
  async function expectScreen(name: string, from: RegExp = /^(register-usb|working|register-done)$/) {
    await expect.poll(() => page.evaluate(() => document.body.getAttribute('data-current-screen')), { timeout: 30_000 }).not.toMatch(from);
    expect(await currentScreen()).toMatch(new RegExp(`^${name}(:|$)`));
  }

  async function clickRegister() {
    await page.goto(portal.url + '/dang-ky');
    await page.getByRole('tab', { name: 'Công dân' }).click();
    await page.locator('#method-usb').click();
    await expect.poll(() => page.locator('#plugin-status').textContent(), { timeout: 10_000 }).toContain('Đã kết nối');
    await page.locator('#btn-register-usb').click();
  }

  it('registers from the token: the form shows the verified certificate; then logs in', async () => {
    daemon.pinentry.setScript([{ confirm: 'ok' }, { pin: CITIZEN.userPin }]);
    await clickRegister();
    await expectScreen('register-form');
    expect(await page.locator('#label-name').textContent()).toBe('Họ tên');
    expect(await page.locator('#f-name').inputValue()).toBe('Nguyễn Thị Hồng Nhung');
    expect(await page.locator('#f-id').inputValue()).toBe('001190012345');
    expect(await page.locator('#f-valid-from').inputValue()).toBe('01/01/2024');
    expect(await page.locator('#f-ca').inputValue()).toBe('Kyso Test Viettel-CA EC');
    // The consent dialog named the portal's origin: what the bridge saw is what the portal verified.
    expect(daemon.pinentry.transcript().some((t) => t.cmd === 'SETDESC' && t.text.includes(portal.origin))).toBe(true);

    await page.locator('#f-email').fill('nhung@example.vn');
    await page.locator('#btn-register-submit').click();
    await screen('register-done').waitFor();

    daemon.pinentry.setScript([{ confirm: 'ok' }, { pin: CITIZEN.userPin }]);
    await page.locator('#screen-register-done [data-action="login"]').click();
    await expectScreen('logged-in');
    expect(await page.locator('#screen-logged-in [data-field="name"]').textContent()).toBe('Nguyễn Thị Hồng Nhung');
    expect(await page.locator('#screen-logged-in [data-field="email"]').textContent()).toBe('nhung@example.vn');
    await screenshot(page, 'citizen-logged-in');
  });

  it('a second registration of the same person is refused politely', async () => {
    page = await (await browser.newContext()).newPage();
    daemon.pinentry.setScript([{ confirm: 'ok' }, { pin: CITIZEN.userPin }]);
    await clickRegister();
    await expectScreen('err-account-exists');
    await screenshot(page, 'citizen-account-exists');
  });

  it('cancel in the dialog, and a wrong PIN followed by cancel, show the cancelled screen', async () => {
    daemon.pinentry.setScript([{ confirm: 'cancel' }]);
    await clickRegister();
    await expectScreen('err-cancelled');

    daemon.pinentry.clearTranscript();
    daemon.pinentry.setScript([{ confirm: 'ok' }, { pin: '000000' }, { pin: 'cancel' }]);
    await clickRegister();
    await expectScreen('err-cancelled');
    // The bridge asked again in its own dialog, saying the PIN was wrong.
    expect(daemon.pinentry.transcript().some((t) => t.cmd === 'SETERROR' && /PIN không đúng/.test(t.text))).toBe(true);
    await screenshot(page, 'failure-cancelled');
  });

  it('without `kyso-bridge trust install` the browser cannot reach wss: plugin-not-running guidance', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'kyso-e2e-untrusted-'));
    const other = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env: { ...process.env, HOME: bare } });
    try {
      page = await other.newPage();
      await page.goto(portal.url + '/dang-ky');
      await page.locator('#method-usb').click();
      await expect.poll(() => page.locator('#plugin-status').textContent(), { timeout: 10_000 }).toContain('Chưa kết nối');
      await page.locator('#btn-register-usb').click();
      await expectScreen('err-plugin');
      expect(await screen('err-plugin').textContent()).toContain('kyso-bridge trust install');
      await screenshot(page, 'failure-no-trust');
    } finally {
      await other.close();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
