// "TLS refused" vs "nothing listening": the SDK asks the bridge's plain-HTTP hint (port + 1)
// after a failed wss:// connection; the page then tells the user to run `kyso-bridge trust
// install` instead of "install kyso-bridge". In Node (ws, CA not trusted) and in Chromium whose
// NSS database does not know the bridge's CA, with the demo portal's screen.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import WS from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as K from '../src/client/index.js';
import { TLS_HINT_PATH as SERVER_HINT_PATH, TLS_HINT_PORT_OFFSET as SERVER_OFFSET } from '../src/hint/tls-hint.js';
import { startDemoPortal } from '../src/portal/demo/index.js';
import { CHROMIUM } from './support/e2e.js';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { sharedSoftHsm } from './support/softhsm.js';

// A fixed port: the hint's port follows the wss port (run in a private network namespace).
const PORT = 15990;

const hintStatus = (host: string): Promise<number> => new Promise((res) => {
  const req = request({ host: '127.0.0.1', port: PORT + 1, path: K.TLS_HINT_PATH, headers: { Host: host } }, (r) => { r.resume(); res(r.statusCode ?? 0); });
  req.on('error', () => res(0));
  req.end();
});

describe('SDK: TLS refused vs nothing listening', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(sharedSoftHsm(), ['--port', String(PORT)], { KYSO_CONTROL_SOCKET: join(mkdtempSync(join(tmpdir(), 'kyso-hint-')), 'control.sock') });
  });
  afterAll(async () => { K.disconnect(); await d?.stop(); });

  it('the SDK and the bridge agree on where the hint is; it answers only to loopback Host names', async () => {
    expect([K.TLS_HINT_PATH, K.TLS_HINT_PORT_OFFSET]).toEqual([SERVER_HINT_PATH, SERVER_OFFSET]);
    expect(await hintStatus(`127.0.0.1:${PORT + 1}`)).toBe(200);
    expect(await hintStatus(`evil.example:${PORT + 1}`)).toBe(404);
  });

  it('a certificate the client does not trust: TlsNotTrustedError (code TLS_NOT_TRUSTED, trust install guidance)', async () => {
    const s = await K.status({ url: `wss://127.0.0.1:${PORT}/v1`, WebSocket: WS as unknown as K.WebSocketCtor });
    if (s.running) throw new Error('expected the bridge to be unreachable');
    const e = s.error as K.TlsNotTrustedError;
    expect(e).toBeInstanceOf(K.TlsNotTrustedError);
    expect(e).toBeInstanceOf(K.PluginNotRunningError); // pages that only know this class still work
    expect(e.code).toBe('TLS_NOT_TRUSTED');
    expect(e.guidance.vi).toContain('kyso-bridge trust install');
    expect(e.localized('en')).toContain('does not trust');
  });

  it('nothing listening: PluginNotRunningError with the install paths (the .deb; npm from a clone)', async () => {
    const s = await K.status({ url: `wss://127.0.0.1:${PORT + 5}/v1`, WebSocket: WS as unknown as K.WebSocketCtor });
    if (s.running) throw new Error('expected the bridge to be unreachable');
    const e = s.error as K.PluginNotRunningError;
    expect(e.code).toBe('PLUGIN_NOT_RUNNING');
    expect(e.guidance.vi).toContain('.deb');
    expect(e.guidance.en).toContain('npx kyso-bridge install --user');
    expect(e.guidance.vi).not.toContain('npm install -g');
  });

  it.skipIf(!CHROMIUM)('Chromium without the CA: the portal shows the "browser does not trust" screen with trust install', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kyso-hint-home-'));
    const portal = await startDemoPortal({ port: 0, host: '127.0.0.1', daemonUrl: `wss://127.0.0.1:${PORT}/v1`, trustAnchors: [], revocation: 'off' });
    const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'], env: { ...process.env, HOME: home } });
    try {
      const page = await browser.newPage();
      await page.goto(`${portal.url}/dang-ky`);
      await page.locator('#method-usb').click();
      await page.locator('#btn-register-usb').click();
      await page.locator('#screen-err-tls').waitFor();
      expect(await page.locator('#screen-err-tls').textContent()).toContain('kyso-bridge trust install');
    } finally {
      await browser.close();
      await portal.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
