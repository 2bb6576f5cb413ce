// End to end, the failure paths of "Đăng ký bằng USB ký số": headless Chromium → real wss daemon
// (CA trusted through trust install in a test HOME) → SoftHSM, with the scripted pinentry.
// Each scenario has its own SoftHSM store and daemon: wrong PINs change token flags, and stopping
// a daemon must not take another scenario's bridge with it. Final screens are kept as PNGs
// under test-artifacts/e2e/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { TestDaemon } from './support/daemon.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { E2E_READY, countCmd, diagnose, expectScreen, openRegisterUsb, screenshot, startE2eWorld, type E2eWorld } from './support/e2e.js';

const EXPIRED = tokenSpec('KYSO HET HAN');
const GOV = tokenSpec('KYSO CO QUAN');
const CITIZEN = tokenSpec('KYSO CONG DAN');

const STORES = { expired: [EXPIRED], gov: [GOV], citizen: [CITIZEN] };
type Store = keyof typeof STORES;

describe.skipIf(!E2E_READY)('Đăng ký bằng USB ký số: failure paths, end to end', { timeout: 120_000 }, () => {
  const stores: Partial<Record<Store, ReturnType<typeof freshSoftHsm>>> = {};
  let world: E2eWorld;
  let page: Page | undefined;
  let daemon: TestDaemon | undefined;

  beforeAll(async () => {
    world = await startE2eWorld('failures');
  });

  afterAll(async () => {
    await world?.close();
    for (const s of Object.values(stores)) s?.cleanup();
  });

  beforeEach(() => {
    page = undefined;
    daemon = undefined;
    onTestFailed(() => diagnose(page, daemon));
  });

  /** A daemon for this scenario, the portal pointed at it, and a fresh browser session. */
  async function scenario(store: Store, opts: { allowPortal?: boolean } = {}): Promise<{ d: TestDaemon; p: Page }> {
    // Earlier scenarios' bridges are done with: one daemon at a time on this machine's 2 cores.
    for (const d of world.daemons) await d.stop();
    const env = (stores[store] ??= freshSoftHsm(STORES[store]));
    daemon = await world.startDaemon(env, opts);
    world.portal.setDaemonUrl(daemon.url);
    page = await world.newPage();
    return { d: daemon, p: page };
  }

  it('expired-certificate token: the invalid-certificate screen, and no PIN dialog at all', async () => {
    const { d, p } = await scenario('expired');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: EXPIRED.userPin }]);
    await openRegisterUsb(p, world.portal, 'Doanh nghiệp');
    // The bridge itself reports the certificate as expired…
    const listed = await p.evaluate(async () => {
      const kb = (window as unknown as { KysoBridge: { listCertificates(): Promise<{ status: { ok: boolean; code: string } }[]> } }).KysoBridge;
      return (await kb.listCertificates()).map((c) => c.status);
    });
    expect(listed).toEqual([expect.objectContaining({ ok: false, code: 'EXPIRED' })]);
    // …so it refuses before any dialog: no consent, no PIN prompt for a certificate that cannot be used.
    await p.locator('#btn-register-usb').click();
    await expectScreen(p, 'err-cert');
    expect(await p.locator('#screen-err-cert').getAttribute('data-error-code')).toBe('CERTIFICATE_INVALID');
    expect(await p.locator('#screen-err-cert h1').textContent()).toBe('Chứng thư số không hợp lệ');
    expect(await p.locator('#screen-err-cert').textContent()).toContain('Chứng thư số phải còn hạn');
    expect(countCmd(d, 'GETPIN')).toBe(0);
    expect(countCmd(d, 'CONFIRM')).toBe(0);
    expect(d.pinentry.consumed()).toBe(0);
    await screenshot(p, 'failure-expired-certificate');
  });

  it('wrong PIN then the right PIN: the dialog asks again saying so, and registration completes', async () => {
    const { d, p } = await scenario('gov');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: '000000' }, { pin: GOV.userPin }]);
    await openRegisterUsb(p, world.portal, 'Cơ quan nhà nước');
    await p.locator('#btn-register-usb').click();
    await expectScreen(p, 'register-form');
    // One consent, two PIN dialogs; the second one carries the error under the field.
    expect(countCmd(d, 'CONFIRM')).toBe(1);
    expect(countCmd(d, 'GETPIN')).toBe(2);
    const t = d.pinentry.transcript();
    const errors = t.filter((e) => e.cmd === 'SETERROR');
    expect(errors).toHaveLength(1);
    expect(errors[0].text).toContain('Mã PIN không đúng');
    // SETERROR belongs to the second PIN dialog (a later pinentry process than the first GETPIN).
    const getpins = t.filter((e) => e.cmd === 'GETPIN');
    expect(errors[0].pid).toBe(getpins[1].pid);
    expect(errors[0].pid).not.toBe(getpins[0].pid);
    // The daemon never re-tries a PIN itself: it logged the wrong entry and asked the user again.
    expect(d.logs.some((l) => l.includes('wrong PIN entered; asking the user again'))).toBe(true);

    expect(await p.locator('#f-name').inputValue()).toBe('Lê Văn Thúc');
    expect(await p.locator('#label-id').textContent()).toBe('Số CMND');
    expect(await p.locator('#f-id').inputValue()).toBe('191234567');
    expect(await p.locator('#f-ca').inputValue()).toBe('Kyso Test CA phục vụ các cơ quan Nhà nước G2');
    expect(await p.locator('#f-email').inputValue()).toBe('thuc.lv@duonghoa.example.gov.vn');
    await p.locator('#btn-register-submit').click();
    await expectScreen(p, 'register-done', /^register-form$/);
    expect(await p.locator('#screen-register-done [data-field="name"]').textContent()).toBe('Lê Văn Thúc');
    await screenshot(p, 'failure-wrong-then-right-pin');
  });

  it('daemon stopped after the page connected: the plugin-not-running screen with install/start guidance', async () => {
    const { d, p } = await scenario('citizen');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: CITIZEN.userPin }]);
    await openRegisterUsb(p, world.portal, 'Công dân');
    expect(await d.stop()).toBe(0);
    await p.locator('#btn-register-usb').click();
    await expectScreen(p, 'err-plugin');
    const text = (await p.locator('#screen-err-plugin').textContent()) ?? '';
    expect(await p.locator('#screen-err-plugin h1').textContent()).toBe('Chưa kết nối được công cụ ký số');
    expect(text).toContain('sudo apt install ./kyso-bridge_*_amd64.deb');
    expect(text).toContain('systemctl --user start kyso-bridge');
    expect(text).not.toContain('npm install -g');
    expect(text).toContain('kyso-bridge trust install');
    expect(await p.locator('#screen-err-plugin').getAttribute('data-error-code')).toBe('PLUGIN_NOT_RUNNING');
    await screenshot(p, 'failure-daemon-stopped');
    // A fresh load (the usual "reload and try again") sees it too.
    await openRegisterUsb(p, world.portal, 'Công dân', false);
    await p.locator('#btn-register-usb').click();
    await expectScreen(p, 'err-plugin');
  });

  it('an unapproved http origin: the origin-not-allowed screen, and the bridge never asked anyone', async () => {
    // No --allow-origin: the portal's http origin is neither listed nor (being http) ever asked about.
    const { d, p } = await scenario('citizen', { allowPortal: false });
    d.pinentry.setScript([{ confirm: 'ok' }, { confirm: 'ok' }, { pin: CITIZEN.userPin }]);
    // bridge.info is public: the page still finds the bridge running.
    await openRegisterUsb(p, world.portal, 'Công dân');
    await p.locator('#btn-register-usb').click();
    await expectScreen(p, 'err-origin');
    expect(await p.locator('#screen-err-origin').getAttribute('data-error-code')).toBe('ORIGIN_NOT_ALLOWED');
    expect(await p.locator('#screen-err-origin [data-field="origin"]').textContent()).toBe(world.portal.origin);
    expect(await p.locator('#screen-err-origin h1').textContent()).toBe('Trang web chưa được phép dùng chữ ký số');
    expect(countCmd(d, 'START')).toBe(0);
    expect(d.pinentry.consumed()).toBe(0);
    await screenshot(p, 'failure-origin-not-allowed');
  });
});
