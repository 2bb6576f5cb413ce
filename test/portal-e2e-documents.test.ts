// End to end for "Nộp hồ sơ": headless Chromium on the demo portal, signed in with the
// organisation token, signs a 20 MB dossier PDF visibly at B-LT (the SDK uploads it in chunks to
// the real wss daemon, which time-stamps it at the loopback TSA and embeds OCSP/CRL from the
// fixture PKI server) and an e-invoice XML; the portal server verifies both and shows the result.
// The signed files are then checked by pdfsig/qpdf and xmlsec1, and the dialogs showed each
// document (name, size, fingerprint, facts) before the PIN.
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { PKI_HTTP_PORT } from '../certs-fixtures/pki-spec.js';
import type { TestDaemon } from './support/daemon.js';
import { nssDb, pdfsig, qpdfCheck, Workdir, xmlsecVerify } from './support/document-tools.js';
import { E2E_READY, diagnose, expectScreen, openRegisterUsb, screenshot, startE2eWorld, type E2eWorld } from './support/e2e.js';
import type { FakeAnswer } from './support/fake-pinentry.js';
import { samplePdf } from './support/pdf-samples.js';
import { PkiServer } from './support/pki-server.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { TsaServer } from './support/tsa-server.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const ORG_NAME = 'Công ty TNHH Phần mềm Dương Hòa';
const ORG_MST = '3301234567';

describe.skipIf(!E2E_READY)('Nộp hồ sơ: a 20 MB PDF at B-LT and an e-invoice signed from the portal page', { timeout: 240_000 }, () => {
  let env: ReturnType<typeof freshSoftHsm> | undefined;
  let world: E2eWorld;
  let daemon: TestDaemon;
  let page: Page;
  const tsa = new TsaServer();
  const pki = new PkiServer();
  const w = new Workdir();

  beforeAll(async () => {
    await tsa.start();
    await pki.start(PKI_HTTP_PORT);
    env = freshSoftHsm([ORG]);
    world = await startE2eWorld('docs');
    daemon = await world.startDaemon(env, { args: ['--tsa', tsa.url] });
    world.portal.setDaemonUrl(daemon.url);
    page = await world.newPage();
  });

  afterAll(async () => {
    await world?.close();
    env?.cleanup();
    await tsa.stop();
    await pki.stop();
    w.cleanup();
  });

  beforeEach(() => {
    onTestFailed(() => diagnose(page, daemon));
  });

  /**
   * Chooser pages in the bridge's certificate order (SoftHSM's object order, not fixed): "next"
   * until the organisation's, then its PIN. The chooser starts at this site's last choice, so once
   * the organisation was chosen, its page comes first (`chosenBefore`).
   */
  async function scriptChooseOrg(chosenBefore = false, extra: FakeAnswer[] = []): Promise<void> {
    const certs = await page.evaluate(async () => {
      const kb = (window as unknown as { KysoBridge: { listCertificates(): Promise<{ identity: { taxCode?: string; citizenId?: string } }[]> } }).KysoBridge;
      return (await kb.listCertificates()).map((c) => c.identity);
    });
    const index = certs.findIndex((c) => c.taxCode === ORG_MST && !c.citizenId);
    expect(index).toBeGreaterThanOrEqual(0);
    const next = chosenBefore ? 0 : index;
    daemon.pinentry.setScript([...Array.from({ length: next }, () => ({ confirm: 'notok' as const })), { confirm: 'ok' }, { pin: ORG.userPin }, ...extra]);
  }

  it('registers and logs in as the organisation', async () => {
    await openRegisterUsb(page, world.portal, 'Doanh nghiệp');
    await scriptChooseOrg();
    await page.locator('#btn-register-usb').click();
    await expectScreen(page, 'register-form');
    await page.locator('#f-email').fill('lienhe@duonghoa.example.vn');
    await page.locator('#btn-register-submit').click();
    await expectScreen(page, 'register-done', /^register-form$/);
    await scriptChooseOrg(true);
    await page.locator('#screen-register-done [data-action="login"]').click();
    await expectScreen(page, 'logged-in');
    expect(await page.locator('#screen-logged-in [data-field="name"]').textContent()).toBe(ORG_NAME);
  });

  it('"Nộp hồ sơ": the 20 MB dossier (B-LT, visible) and the e-invoice are signed, the portal verifies both, pdfsig and xmlsec1 agree', async () => {
    const pdf = await samplePdf({ pages: 3, padBytes: 20 * 1024 * 1024 });
    await page.locator('#btn-go-submit').click();
    await expectScreen(page, 'submit', /^logged-in$/);
    await page.locator('#dossier-file').setInputFiles({ name: 'ho-so-xin-phep.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.locator('#dossier-level').selectOption('LT');
    daemon.pinentry.clearTranscript();
    // The page signs with the certificate it logged in with: per document one consent, then the PIN.
    daemon.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }, { confirm: 'ok' }, { pin: ORG.userPin }]);
    await page.locator('#btn-submit').click();
    // 20 MB through the page, the bridge, the TSA and back, then to the portal: on a busy CI
    // machine this takes longer than one login round trip, so wait for it to leave "submit" first.
    await page.waitForFunction(() => document.body.getAttribute('data-current-screen') !== 'submit', undefined, { timeout: 200_000, polling: 250 });
    await expectScreen(page, 'submit-done', /^submit$/);
    await screenshot(page, 'documents-submit-done');

    const done = page.locator('#screen-submit-done');
    expect(await done.getAttribute('data-pdf-valid')).toBe('true');
    expect(await done.getAttribute('data-xml-valid')).toBe('true');
    expect(await done.locator('[data-field="pdf-verdict"]').textContent()).toContain('Hợp lệ');
    expect(await done.locator('[data-field="pdf-level"]').textContent()).toBe('PAdES B-LT');
    expect(await done.locator('[data-field="pdf-signer"]').textContent()).toContain(ORG_NAME);
    expect(await done.locator('[data-field="xml-verdict"]').textContent()).toContain('Hợp lệ');
    expect(await done.locator('[data-field="xml-certificate"]').textContent()).toMatch(/^VALID/);

    // What the dialogs said, in order: document 1 (name, size, fingerprint, pages, placement), PIN, document 2, PIN.
    const t = daemon.pinentry.transcript();
    const descs = t.map((e, i) => ({ ...e, i })).filter((e) => e.cmd === 'SETDESC');
    const pins = t.map((e, i) => ({ ...e, i })).filter((e) => e.cmd === 'GETPIN').map((e) => e.i);
    const pdfConsent = descs.find((e) => e.text.includes('ho-so-xin-phep.pdf'))!;
    const xmlConsent = descs.find((e) => e.text.includes('hoa-don-dien-tu.xml'))!;
    const h = createHash('sha256').update(pdf).digest('hex');
    expect(pdfConsent.text).toContain(`${h.slice(0, 8)}…${h.slice(-8)}`);
    expect(pdfConsent.text).toContain(`${(pdf.length / 1024 / 1024).toFixed(1)} MiB`);
    expect(pdfConsent.text).toContain('Số trang: 3');
    expect(pdfConsent.text).toContain('Chữ ký hiển thị ở trang 1');
    expect(pdfConsent.text).toContain(world.portal.origin.replace('http://', ''));
    expect(xmlConsent.text).toContain('C25TDM');
    expect(xmlConsent.text).toContain(`MST ${ORG_MST}`);
    expect(pins).toHaveLength(2);
    expect(pdfConsent.i).toBeLessThan(pins[0]);
    expect(xmlConsent.i).toBeGreaterThan(pins[0]);
    expect(xmlConsent.i).toBeLessThan(pins[1]);
    expect(tsa.hits).toBeGreaterThan(0);

    // The signed files as the portal received them, checked by the independent tools.
    const signedPdf = Buffer.from(await (await page.request.get(`${world.portal.url}/api/submit/file/pdf`)).body());
    expect(signedPdf.subarray(0, pdf.length).equals(pdf)).toBe(true);
    const file = w.write('ho-so-lt.pdf', signedPdf);
    const p = await pdfsig(nssDb(w, ['leaf-org']), file);
    expect([p.signatures, p.valid, p.trusted], p.out).toEqual([1, 1, 1]);
    expect([0, 3]).toContain(qpdfCheck(file).status);
    const signedXml = Buffer.from(await (await page.request.get(`${world.portal.url}/api/submit/file/xml`)).body());
    const x = xmlsecVerify(w.write('hoa-don.xml', signedXml), ['Id:DLHDon', 'Id:Object']);
    expect(x.status, x.out).toBe(0);
  });

  it('a cancelled consent lands on the cancelled screen and nothing is submitted', async () => {
    await page.goto(world.portal.url + '/');
    await expectScreen(page, 'logged-in', /^(|home)$/);
    await page.locator('#btn-go-submit').click();
    await expectScreen(page, 'submit', /^logged-in$/);
    daemon.pinentry.setScript([{ confirm: 'cancel' }]);
    await page.locator('#btn-submit').click();
    await expectScreen(page, 'err-cancelled', /^submit$/);
  });
});
