// Shared setup for the end-to-end portal suites: the demo portal (plain http on loopback), a test
// HOME whose NSS database trusts the bridge's CA through `trustInstall` (what `kyso-bridge trust
// install` does), headless Debian Chromium launched with that HOME, and real daemons started from
// dist/. Every daemon of one world serves the same per-install TLS material (the first daemon
// makes it, later ones get a copy of its config dir's tls/), so one `trust install` and one
// browser cover them all, just as a reinstalled bridge keeps its CA.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { trustInstall } from '../../src/trust/nss.js';
import { startDemoPortal, type DemoPortal } from '../../src/portal/demo/index.js';
import type { SoftHsmEnv } from '../../certs-fixtures/softhsm.js';
import { CLI, startTestDaemon, type TestDaemon } from './daemon.js';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
/** Whether an e2e suite can run here (a system Chromium and the built CLI). */
export const E2E_READY = Boolean(CHROMIUM) && existsSync(CLI);
export const ARTIFACTS = resolve('test-artifacts/e2e');
const OUT = resolve('certs-fixtures/out');
export const ANCHOR_FILES = ['root-national', 'root-gov'].map((n) => join(OUT, `${n}.pem`));

/** How long a whole bridge round trip (dialogs, token, verification) may take on a busy machine. */
export const ROUND_TRIP_MS = 45_000;
/** Screens the page passes through while a request is under way. */
export const IN_BETWEEN = /^(register-usb|working|register-done|login)$/;

export interface DaemonOptions {
  /** Allow-list the portal's http origin (default true); http origins are never asked about. */
  allowPortal?: boolean;
  args?: string[];
}

export interface E2eWorld {
  portal: DemoPortal;
  home: string;
  /** Daemons started so far (for diagnostics and cleanup). */
  daemons: TestDaemon[];
  /** Starts a daemon over a SoftHSM store; the first one also runs trust install and the browser. */
  startDaemon(env: SoftHsmEnv, opts?: DaemonOptions): Promise<TestDaemon>;
  /** A fresh browser context (own cookies) and page; the browser starts with the first daemon. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startE2eWorld(name: string): Promise<E2eWorld> {
  const home = mkdtempSync(join(tmpdir(), `kyso-e2e-${name}-`));
  const portal = await startDemoPortal({
    port: 0, host: '127.0.0.1', revocation: 'off', dbFile: join(home, 'portal.db'),
    trustAnchors: ANCHOR_FILES.map((f) => readFileSync(f, 'utf8')),
  });
  const daemons: TestDaemon[] = [];
  const configDirs: string[] = [];
  let tlsSeed: string | undefined;
  let browser: Browser | undefined;

  async function startDaemon(env: SoftHsmEnv, opts: DaemonOptions = {}): Promise<TestDaemon> {
    // The bridge keeps TLS material and state beside its config file (last --config wins).
    const configDir = mkdtempSync(join(home, 'bridge-'));
    configDirs.push(configDir);
    if (tlsSeed) cpSync(tlsSeed, join(configDir, 'tls'), { recursive: true });
    const args = ['--config', join(configDir, 'config.json'), '--revocation', 'off',
      ...ANCHOR_FILES.flatMap((f) => ['--trust-anchor', f]),
      ...(opts.allowPortal === false ? [] : ['--allow-origin', portal.origin]), ...(opts.args ?? [])];
    const daemon = await startTestDaemon(env, args);
    daemons.push(daemon);
    expect(daemon.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/v1$/);
    if (!tlsSeed) {
      tlsSeed = join(configDir, 'tls');
      // What a user runs once: Chromium then trusts wss://127.0.0.1 (it reads ~/.pki/nssdb).
      const trust = trustInstall({ home, configDir });
      expect(trust.databases[0].state).toBe('installed');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env: { ...process.env, HOME: home } });
    }
    return daemon;
  }

  return {
    portal, home, daemons, startDaemon,
    async newPage() {
      if (!browser) throw new Error('start a daemon first: the browser is launched after trust install');
      return (await browser.newContext({ locale: 'vi-VN' })).newPage();
    },
    async close() {
      await browser?.close();
      await Promise.all(daemons.map((d) => d.stop()));
      await portal.close();
      for (const d of configDirs) rmSync(d, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The visible screen, with its error text when it is a failure screen (readable failures). */
export function currentScreen(page: Page): Promise<string> {
  return page.evaluate(() => {
    const name = document.body.getAttribute('data-current-screen') ?? '';
    const msg = document.querySelector(`[data-screen="${name}"] [data-field="message"]`)?.textContent;
    return msg ? `${name}: ${msg}` : name;
  });
}

/** Waits until the page leaves the in-between screens, then checks where it landed. */
export async function expectScreen(page: Page, name: string, from: RegExp = IN_BETWEEN): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.body.getAttribute('data-current-screen')), { timeout: ROUND_TRIP_MS, interval: 200 }).not.toMatch(from);
  expect(await currentScreen(page)).toMatch(new RegExp(`^${name}(:|$)`));
  await expect.poll(() => page.locator(`#screen-${name}`).isVisible()).toBe(true);
}

/** Đăng ký → audience tab → USB ký số; waits for the plugin check to say what it found. */
export async function openRegisterUsb(page: Page, portal: DemoPortal, audience: 'Công dân' | 'Doanh nghiệp' | 'Cơ quan nhà nước', connected = true): Promise<void> {
  await page.goto(portal.url + '/dang-ky');
  await page.getByRole('tab', { name: audience }).click();
  await page.locator('#method-usb').click();
  await expect.poll(() => page.locator('#screen-register-usb .audience-label').textContent()).toBe(`Đối tượng: ${audience}`);
  await expect.poll(() => page.locator('#plugin-status').textContent(), { timeout: 15_000 }).toContain(connected ? 'Đã kết nối' : 'Chưa kết nối');
}

/** Full-page PNG of the current screen under test-artifacts/e2e/ (kept as a test artifact). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect(readFileSync(file).subarray(1, 4).toString('latin1')).toBe('PNG');
  return file;
}

/** Dialog commands worth reading in a failure report. */
export function dialogLines(daemon: TestDaemon): string[] {
  return daemon.pinentry.transcript().filter((t) => ['START', 'SETDESC', 'SETERROR', 'CONFIRM', 'GETPIN', 'ANSWER'].includes(t.cmd))
    .map((t) => `${t.time} ${t.pid} ${t.cmd} ${t.text.replace(/\n/g, ' ⏎ ').slice(0, 160)}`);
}

/** What to print when a test fails: where the page is, what the daemon logged, what the dialogs said. */
export async function diagnose(page: Page | undefined, daemon: TestDaemon | undefined): Promise<void> {
  if (page && !page.isClosed()) {
    const where = await currentScreen(page).catch((e: Error) => `(page unreadable: ${e.message})`);
    console.error(`current screen: ${where} @ ${page.url()}`);
  }
  if (!daemon) return;
  console.error('daemon log tail:\n' + daemon.logs.slice(-20).join('\n'));
  console.error('pinentry transcript:\n' + dialogLines(daemon).join('\n'));
}

/** Counts of one Assuan command in a daemon's pinentry transcript. */
export function countCmd(daemon: TestDaemon, cmd: string): number {
  return daemon.pinentry.transcript().filter((t) => t.cmd === cmd).length;
}
