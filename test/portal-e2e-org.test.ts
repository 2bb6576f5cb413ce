// End to end for an organisation: "Doanh nghiệp" → USB ký số with the organisation token in
// headless Chromium → real wss daemon → SoftHSM → portal verifier → account → login. The token
// holds two valid certificates (leaf-org and leaf-mst-cccd) and the page calls authenticate()
// without a certificateId, so the daemon shows its chooser (one pinentry CONFIRM page per
// certificate: OK = use this one, NOTOK = next) instead of a separate consent dialog.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { FakeAnswer } from './support/fake-pinentry.js';
import type { TestDaemon } from './support/daemon.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { E2E_READY, countCmd, diagnose, expectScreen, openRegisterUsb, screenshot, startE2eWorld, type E2eWorld } from './support/e2e.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const ORG_NAME = 'Công ty TNHH Phần mềm Dương Hòa';
const ORG_MST = '3301234567';

describe.skipIf(!E2E_READY)('Doanh nghiệp: đăng ký và đăng nhập bằng USB ký số, end to end', { timeout: 120_000 }, () => {
  let env: ReturnType<typeof freshSoftHsm> | undefined;
  let world: E2eWorld;
  let daemon: TestDaemon;
  let page: Page;

  beforeAll(async () => {
    env = freshSoftHsm([ORG]);
    world = await startE2eWorld('org');
    daemon = await world.startDaemon(env);
    world.portal.setDaemonUrl(daemon.url);
    page = await world.newPage();
  });

  afterAll(async () => {
    await world?.close();
    env?.cleanup();
  });

  beforeEach(() => {
    onTestFailed(() => diagnose(page, daemon));
  });

  /**
   * The chooser pages follow the bridge's certificate order, which is SoftHSM's object order
   * (not fixed across provisioning): ask the bridge for that order from the page itself, then
   * answer "next" until the organisation certificate's page and "use" there. `remembered`: the
   * chooser opens at this site's last choice (the organisation's certificate).
   */
  async function chooseOrgThenPin(remembered = false): Promise<{ index: number; skips: number }> {
    const certs = await page.evaluate(async () => {
      const kb = (window as unknown as { KysoBridge: { listCertificates(): Promise<{ identity: { taxCode?: string }; status: { ok: boolean } }[]> } }).KysoBridge;
      return (await kb.listCertificates()).map((c) => ({ taxCode: c.identity.taxCode, ok: c.status.ok }));
    });
    // Both certificates are valid and on the one token: without a chooser the bridge would have to guess.
    expect(certs).toHaveLength(2);
    expect(certs.every((c) => c.ok)).toBe(true);
    const index = certs.findIndex((c) => c.taxCode === ORG_MST);
    expect(index).toBeGreaterThanOrEqual(0);
    const skips = remembered ? 0 : index;
    const script: FakeAnswer[] = [...Array.from({ length: skips }, () => ({ confirm: 'notok' as const })), { confirm: 'ok' }, { pin: ORG.userPin }];
    daemon.pinentry.clearTranscript();
    daemon.pinentry.setScript(script);
    return { index, skips };
  }

  /** The chooser page that was accepted named the organisation, as page k of 2. */
  function expectChoseOrg({ index, skips }: { index: number; skips: number }): void {
    const t = daemon.pinentry.transcript();
    const descs = t.filter((e) => e.cmd === 'SETDESC').map((e) => e.text);
    const chosen = descs[skips];
    expect(chosen, descs.join('\n---\n')).toContain(`(${index + 1}/2)`);
    expect(chosen).toContain(ORG_NAME);
    expect(chosen).toContain(`MST: ${ORG_MST}`);
    expect(chosen).toContain(world.portal.origin);
    // Choosing is the consent: chooser pages, then exactly one PIN dialog (no extra CONFIRM).
    expect(countCmd(daemon, 'CONFIRM')).toBe(skips + 1);
    expect(countCmd(daemon, 'GETPIN')).toBeLessThanOrEqual(1);
  }

  it('registers the organisation: the form shows the server-verified certificate; then logs in', async () => {
    await openRegisterUsb(page, world.portal, 'Doanh nghiệp');
    const choice = await chooseOrgThenPin();
    await page.locator('#btn-register-usb').click();
    await expectScreen(page, 'register-form');
    expectChoseOrg(choice);
    expect(countCmd(daemon, 'GETPIN')).toBe(1);

    expect(await page.locator('#label-name').textContent()).toBe('Tên tổ chức');
    expect(await page.locator('#f-name').inputValue()).toBe(ORG_NAME);
    expect(await page.locator('#label-id').textContent()).toBe('Mã số thuế (MST)');
    expect(await page.locator('#f-id').inputValue()).toBe(ORG_MST);
    expect(await page.locator('#f-valid-from').inputValue()).toBe('01/01/2024');
    expect(await page.locator('#f-valid-to').inputValue()).toBe('01/01/2046'); // 2045-12-31T23:59:59Z in Asia/Ho_Chi_Minh
    expect(await page.locator('#f-ca').inputValue()).toBe('Kyso Test VNPT-CA SHA2');
    for (const id of ['#f-name', '#f-id', '#f-valid-from', '#f-valid-to', '#f-ca']) {
      expect(await page.locator(id).getAttribute('readonly'), id).not.toBeNull();
    }
    await screenshot(page, 'org-register-form');

    // The certificate's own e-mail is offered; the organisation uses another one.
    await page.locator('#f-email').fill('');
    await page.locator('#btn-register-submit').click();
    await expect.poll(() => page.locator('#email-error').isVisible()).toBe(true);
    await page.locator('#f-email').fill('lienhe@duonghoa.example.vn');
    await page.locator('#btn-register-submit').click();
    await expectScreen(page, 'register-done', /^register-form$/);
    expect(await page.locator('#screen-register-done [data-field="name"]').textContent()).toBe(ORG_NAME);
    await screenshot(page, 'org-register-done');

    // Log in with the same token (again through the chooser, which now opens at the last choice).
    const again = await chooseOrgThenPin(true);
    await page.locator('#screen-register-done [data-action="login"]').click();
    await expectScreen(page, 'logged-in');
    expectChoseOrg(again);
    expect(await page.locator('#screen-logged-in [data-field="name"]').textContent()).toBe(ORG_NAME);
    expect(await page.locator('#screen-logged-in [data-field="idNumber"]').textContent()).toBe(ORG_MST);
    expect(await page.locator('#screen-logged-in [data-field="email"]').textContent()).toBe('lienhe@duonghoa.example.vn');
    expect(await page.locator('#screen-logged-in [data-field="caName"]').textContent()).toBe('Kyso Test VNPT-CA SHA2');
    expect(await page.locator('#whoami').textContent()).toBe(ORG_NAME);
    await screenshot(page, 'org-logged-in');
  });

  it('the account is on the server: a fresh browser session logs in from the login page', async () => {
    page = await world.newPage();
    await page.goto(world.portal.url + '/dang-nhap');
    await expectScreen(page, 'login', /^$/);
    // The same daemon as above: its chooser opens at this site's last choice.
    const index = await chooseOrgThenPin(true);
    await page.locator('#btn-login-usb').click();
    await expectScreen(page, 'logged-in');
    expectChoseOrg(index);
    expect(await page.locator('#screen-logged-in [data-field="email"]').textContent()).toBe('lienhe@duonghoa.example.vn');
  });
});
