// The demo portal's HTTP API with proofs made by node:crypto (what the bridge would return):
// registration shows only server-verified fields, one account per identity, login, failures.
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMessage } from '../src/portal/index.js';
import { startDemoPortal, type DemoPortal } from '../src/portal/demo/index.js';

const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
const der64 = (n: string) => readFileSync(join(OUT, `${n}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, '');
const ISSUER: Record<string, string> = { 'leaf-org': 'ca-rsa', 'leaf-expired': 'ca-rsa', 'leaf-person': 'ca-ec', 'leaf-untrusted': 'ca-untrusted' };

function proof(leaf: string, origin: string, nonce: string) {
  const key = createPrivateKey(readFileSync(join(OUT, `${leaf}.key.pem`)));
  const ec = key.asymmetricKeyType === 'ec';
  const sig = sign('sha256', authMessage(origin, nonce), ec ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return { format: 'kyso-auth:1', certificate: der64(leaf), chain: [der64(ISSUER[leaf])], algorithm: ec ? 'ES256' : 'RS256', signature: sig.toString('base64'), origin };
}

let portal: DemoPortal;

beforeAll(async () => {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'kyso-demo-')), 'demo.db');
  portal = await startDemoPortal({
    port: 0, host: '127.0.0.1', daemonUrl: 'ws://127.0.0.1:1/v1', revocation: 'off', dbFile,
    trustAnchors: [readFileSync(join(OUT, 'root-national.pem'), 'utf8'), readFileSync(join(OUT, 'root-gov.pem'))],
  });
});
afterAll(() => portal.close());

/** A browser-like client: keeps the session cookie, sends the portal's Origin. */
function client() {
  let cookie = '';
  return async (path: string, body?: unknown, origin = portal.origin) => {
    const res = await fetch(portal.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Origin: origin, Cookie: cookie, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    return { status: res.status, json: (await res.json()) as any };
  };
}

async function authenticate(c: ReturnType<typeof client>, leaf: string) {
  const ch = await c('/api/challenge', {});
  expect(ch.status).toBe(200);
  return proof(leaf, portal.origin, ch.json.nonce);
}

describe('demo portal API', () => {
  it('serves the page, its script and the SDK bundle', async () => {
    const page = await fetch(portal.url + '/dang-ky');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('CỔNG DỊCH VỤ CÔNG QUỐC GIA');
    expect(html).toContain('USB ký số');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const sdk = await (await fetch(portal.url + '/kyso-bridge-client.js')).text();
    expect(sdk).toContain('KysoBridge');
    expect(await (await fetch(portal.url + '/config.js')).text()).toContain('ws://127.0.0.1:1/v1');
    expect((await fetch(portal.url + '/../package.json')).status).toBe(404);
    expect(await (await fetch(portal.url + '/x/..%2f..%2fpackage.json')).text()).not.toContain('"dependencies"');
  });

  it('registers an organisation from the verified certificate, once; then logs in', async () => {
    const c = client();
    const v = await c('/api/register/verify', { token: await authenticate(c, 'leaf-org') });
    expect(v.status).toBe(200);
    expect(v.json.identity).toMatchObject({
      nameLabel: 'Tên tổ chức', name: 'Công ty TNHH Phần mềm Dương Hòa', idType: 'MST', idNumber: '3301234567',
      caName: 'Kyso Test VNPT-CA SHA2', validFrom: '2024-01-01T00:00:00.000Z', validTo: '2045-12-31T23:59:59.000Z',
    });
    expect((await c('/api/register', { email: 'khong-hop-le' })).json.error.code).toBe('INVALID_EMAIL');
    const r = await c('/api/register', { email: 'ketoan@duonghoa.vn' });
    expect(r.status).toBe(200);
    expect(r.json.account).toMatchObject({ name: 'Công ty TNHH Phần mềm Dương Hòa', idNumber: '3301234567', email: 'ketoan@duonghoa.vn' });

    // The same identity again, from a fresh session: refused politely.
    const c2 = client();
    const v2 = await c2('/api/register/verify', { token: await authenticate(c2, 'leaf-org') });
    expect(v2.json.accountExists).toBe(true);
    const r2 = await c2('/api/register', { email: 'khac@duonghoa.vn' });
    expect(r2.status).toBe(409);
    expect(r2.json.error).toMatchObject({ code: 'ACCOUNT_EXISTS' });
    expect(r2.json.error.message).toContain('đã có tài khoản');

    const c3 = client();
    const login = await c3('/api/login', { token: await authenticate(c3, 'leaf-org') });
    expect(login.status).toBe(200);
    expect(login.json.account.email).toBe('ketoan@duonghoa.vn');
    expect((await c3('/api/me')).json.account.name).toBe('Công ty TNHH Phần mềm Dương Hòa');
    await c3('/api/logout', {});
    expect((await c3('/api/me')).json.account).toBeNull();
  });

  it('a citizen shows Họ tên and CCCD; login without an account is NO_ACCOUNT', async () => {
    const c = client();
    const login = await c('/api/login', { token: await authenticate(c, 'leaf-person') });
    expect(login.status).toBe(404);
    expect(login.json.error.code).toBe('NO_ACCOUNT');
    const v = await c('/api/register/verify', { token: await authenticate(c, 'leaf-person') });
    expect(v.json.identity).toMatchObject({ nameLabel: 'Họ tên', idType: 'CCCD', idNumber: '001190012345' });
  });

  it('refuses expired and untrusted certificates with the validator code', async () => {
    for (const [leaf, code] of [['leaf-expired', 'EXPIRED'], ['leaf-untrusted', 'UNTRUSTED']]) {
      const c = client();
      const v = await c('/api/register/verify', { token: await authenticate(c, leaf) });
      expect(v.status, leaf).toBe(422);
      expect(v.json.error).toMatchObject({ code, source: 'certificate' });
      expect(v.json.error.message.length).toBeGreaterThan(5);
      expect((await c('/api/register', { email: 'a@b.vn' })).json.error.code).toBe('NO_PENDING_REGISTRATION');
    }
  });

  it('a proof replayed, made for another origin, or for another session fails', async () => {
    const c = client();
    const token = await authenticate(c, 'leaf-org');
    expect((await c('/api/login', { token })).status).toBe(200);
    expect((await c('/api/login', { token })).json.error.code).toBe('REPLAYED');
    const ch = await c('/api/challenge', {});
    const evil = proof('leaf-org', 'http://evil.example', ch.json.nonce);
    expect((await c('/api/login', { token: evil })).json.error.code).toBe('ORIGIN_MISMATCH');
    const other = client();
    expect((await other('/api/login', { token: proof('leaf-org', portal.origin, ch.json.nonce) })).json.error.code).toBe('NONCE_UNKNOWN');
  });

  it('refuses API calls from another origin', async () => {
    const c = client();
    const r = await c('/api/challenge', {}, 'http://evil.example');
    expect(r.status).toBe(403);
  });
});
