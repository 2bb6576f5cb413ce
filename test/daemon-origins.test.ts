import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSoftHsmToken } from '../certs-fixtures/softhsm.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { RpcClient } from './support/rpc-client.js';

const LISTED = 'https://portal.example';
const DEV = 'http://localhost:3000';

function upgradeStatus(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1', headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), ...headers } });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(res.statusCode ?? 101); });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

describe('who may call the daemon', () => {
  const env = freshSoftHsm([tokenSpec('KYSO DOANH NGHIEP'), tokenSpec('KYSO CONG DAN')]);
  let d: TestDaemon;

  beforeAll(async () => {
    d = await startTestDaemon(env, ['--no-tls', '--allow-origin', LISTED, '--allow-origin', DEV, '--revocation', 'off']);
  });
  afterAll(async () => { await d?.stop(); env.cleanup(); });

  it('refuses a wrong Host (DNS rebinding) before the upgrade', async () => {
    expect(await upgradeStatus(d.port, { Host: `evil.example:${d.port}`, Origin: LISTED })).toBe(403);
    expect(await upgradeStatus(d.port, { Host: `127.0.0.1:${d.port + 1}`, Origin: LISTED })).toBe(403);
    expect(await upgradeStatus(d.port, { Host: `localhost:${d.port}`, Origin: LISTED })).toBe(101);
  });

  it('refuses null, file://, other schemes and a missing Origin at the upgrade', async () => {
    for (const origin of ['null', 'file://', 'chrome-extension://abcdef', 'ftp://portal.example']) {
      expect(await upgradeStatus(d.port, { Host: `127.0.0.1:${d.port}`, Origin: origin })).toBe(403);
    }
    expect(await upgradeStatus(d.port, { Host: `127.0.0.1:${d.port}` })).toBe(403);
  });

  it('a listed https origin and an explicitly listed http origin may call', async () => {
    for (const origin of [LISTED, DEV]) {
      const c = await RpcClient.connect(d.url, { origin });
      expect((await c.call('tokens.list')).result).toBeTruthy();
      c.close();
    }
  });

  it('an unlisted http origin sees only bridge.info, without any dialog', async () => {
    const c = await RpcClient.connect(d.url, { origin: 'http://intranet.example' });
    expect((await c.call('bridge.info')).result).toMatchObject({ name: 'kyso-bridge' });
    d.pinentry.clearTranscript();
    const r = await c.call('tokens.list');
    expect(r.error?.data?.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(d.pinentry.transcript()).toEqual([]);
    c.close();
  });

  it('an unknown https origin gets the consent dialog once; the answer is remembered and listable', async () => {
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }]);
    const c = await RpcClient.connect(d.url, { origin: 'https://dichvucong.tinh.example' });
    expect((await c.call('tokens.list')).result).toBeTruthy();
    expect((await c.call('certificates.list')).result).toBeTruthy();
    expect(d.pinentry.consumed()).toBe(1);
    expect(d.pinentry.transcript().map((e) => e.text).join('\n')).toContain('dichvucong.tinh.example');
    c.close();
    const listed = JSON.parse(execFileSync(process.execPath, [CLI, 'origins', 'list', '--json', '--config', join(d.configDir, 'config.json')], { encoding: 'utf8' }));
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ origin: 'https://dichvucong.tinh.example', grants: ['login', 'sign-documents'], denied: [], source: 'dialog' })]));
  });

  it('a denied origin gets ORIGIN_NOT_ALLOWED and is not asked again', async () => {
    d.pinentry.setScript([{ confirm: 'cancel' }]);
    const c = await RpcClient.connect(d.url, { origin: 'https://lua-dao.example' });
    expect((await c.call('tokens.list')).error?.data?.code).toBe('ORIGIN_NOT_ALLOWED');
    expect((await c.call('auth.sign', { nonce: randomBytes(32).toString('base64url') })).error?.data?.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(d.pinentry.consumed()).toBe(1);
    c.close();
  });

  it('a revoked origin is asked again', async () => {
    execFileSync(process.execPath, [CLI, 'origins', 'revoke', 'https://dichvucong.tinh.example', '--config', join(d.configDir, 'config.json')]);
    d.pinentry.setScript([{ confirm: 'cancel' }]);
    const c = await RpcClient.connect(d.url, { origin: 'https://dichvucong.tinh.example' });
    expect((await c.call('tokens.list')).error?.data?.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(d.pinentry.consumed()).toBe(1);
    c.close();
  });

  it('notifies approved connections when a token goes away, and not the others', async () => {
    const approved = await RpcClient.connect(d.url, { origin: LISTED });
    const stranger = await RpcClient.connect(d.url, { origin: 'http://intranet.example' });
    await approved.call('tokens.list');
    deleteSoftHsmToken(env, 'KYSO CONG DAN');
    const started = Date.now();
    while (approved.notifications.length === 0 && Date.now() - started < 8000) await new Promise((r) => setTimeout(r, 50));
    const n = approved.notifications.at(-1) as { method: string; params: { tokens: { label: string }[] } };
    expect(n?.method).toBe('tokens.changed');
    expect(n.params.tokens.map((t) => t.label)).toEqual(['KYSO DOANH NGHIEP']);
    expect(stranger.notifications).toEqual([]);
    approved.close();
    stranger.close();
  });
});

describe('serve defaults', () => {
  it('uses TLS by default with a per-install CA, and refuses a non-loopback --host', async () => {
    const env = freshSoftHsm([tokenSpec('KYSO CONG DAN')]);
    const d = await startTestDaemon(env, ['--allow-origin', LISTED]);
    try {
      expect(d.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/v1$/);
      const ca = readFileSync(join(d.configDir, 'tls', 'ca.pem'), 'utf8');
      const c = await RpcClient.connect(d.url.replace('127.0.0.1', 'localhost'), { origin: LISTED, ca });
      expect((await c.call('bridge.info')).result).toBeTruthy();
      c.close();
      await expect(RpcClient.connect(d.url, { origin: LISTED })).rejects.toThrow();
    } finally {
      await d.stop();
      env.cleanup();
    }
    const out = (() => { try { execFileSync(process.execPath, [CLI, 'serve', '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', stdio: 'pipe', env: { ...process.env, KYSO_CONFIG_DIR: '/tmp/kyso-none' } }); return ''; } catch (e) { return String((e as { stderr: string }).stderr); } })();
    expect(out).toContain('loopback');
  });
});
