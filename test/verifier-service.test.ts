// The verifier service in-process (startVerifierService) over HTTP: the routes, status codes and
// JSON shapes of the contract, revocation through the loopback OCSP/CRL responder, /healthz,
// /metrics, and logs that never carry a nonce, a token or a session id.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedCache } from '../src/certs/cache.js';
import { identityJson, parseIdentity } from '../src/certs/identity.js';
import { validateCertificate } from '../src/certs/validate.js';
import { x509 } from '../src/certs/x509.js';
import { SqliteChallengeStore } from '../src/portal/store-sqlite.js';
import { startVerifierService, type VerifierService } from '../src/verifier/index.js';
import { PkiServer } from './support/pki-server.js';
import { ANCHORS, ORIGIN, der64, makeToken, pem } from './support/portal-tokens.js';
import { capturingLogger } from './support/tokens.js';

const pki = new PkiServer();
const { log, lines } = capturingLogger();
let svc: VerifierService;

interface Res { status: number; json: any; text: string; headers: Record<string, string | string[] | undefined> }

/** A raw HTTP call (node:http), so bodies and headers are exactly what a non-Node client sends. */
function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = { 'Content-Type': 'application/json' }, base = svc.url): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode!, json, text, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const post = (path: string, value: unknown) => call('POST', path, JSON.stringify(value));

async function challenge(sessionId: string): Promise<string> {
  const r = await post('/v1/challenges', { sessionId });
  expect(r.status).toBe(200);
  return r.json.nonce;
}

beforeAll(async () => {
  await pki.start();
  svc = await startVerifierService({
    store: 'memory:', origin: ORIGIN, trustAnchors: ANCHORS, revocation: 'prefer', host: '127.0.0.1', port: 0, log, fetch: pki.fetch,
  });
});
afterAll(async () => {
  await svc?.close();
  await pki.stop();
});
beforeEach(() => {
  pki.reset();
});

describe('POST /v1/challenges and /v1/verify', () => {
  it('issues a challenge {nonce, expiresAt (ISO 8601, 5 minutes)}', async () => {
    const r = await post('/v1/challenges', { sessionId: 'phien-1' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['expiresAt', 'nonce']);
    expect(r.json.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.json.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const ttl = Date.parse(r.json.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(4 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('accepts a proof: identity and validation shaped as `certs --json`, the certificate summary', async () => {
    const nonce = await challenge('phien-2');
    const r = await post('/v1/verify', { sessionId: 'phien-2', token: makeToken('leaf-org', nonce) });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(['certificate', 'identity', 'ok', 'validation']);
    const cert = new x509.X509Certificate(pem('leaf-org'));
    expect(r.json.ok).toBe(true);
    expect(r.json.identity).toEqual(identityJson(parseIdentity(cert)));
    expect(r.json.identity).toMatchObject({ taxCode: '3301234567', organization: 'Công ty TNHH Phần mềm Dương Hòa' });
    expect(r.json.certificate).toEqual({
      subject: expect.stringContaining('UID=MST:3301234567'), issuer: expect.stringContaining('CN=Kyso Test VNPT-CA SHA2'),
      serialNumber: cert.serialNumber.toUpperCase(), notBefore: '2024-01-01T00:00:00.000Z', notAfter: '2045-12-31T23:59:59.000Z',
    });
    // The validator's own status, field for field (the revocation time aside).
    const direct = await validateCertificate(cert, { purpose: 'auth', intermediates: [pem('ca-rsa')], trustAnchors: ANCHORS, rootsDir: false, fetch: pki.fetch });
    expect({ ...r.json.validation, revocation: { ...r.json.validation.revocation, checkedAt: 'x', cached: undefined } })
      .toEqual(JSON.parse(JSON.stringify({ ...direct, revocation: { ...direct.revocation, checkedAt: 'x', cached: undefined } })));
    expect(r.json.validation).toMatchObject({ ok: true, code: 'VALID', revocation: { source: 'ocsp', status: 'good' } });
  });

  it('refuses with {ok: false, code, message, messageEn}: REPLAYED, NONCE_UNKNOWN, ORIGIN_MISMATCH, BAD_SIGNATURE, BAD_FORMAT', async () => {
    const nonce = await challenge('phien-3');
    const token = makeToken('leaf-person', nonce);
    expect((await post('/v1/verify', { sessionId: 'phien-3', token })).json.ok).toBe(true);
    const replay = await post('/v1/verify', { sessionId: 'phien-3', token });
    expect(replay.status).toBe(200);
    expect(replay.json).toEqual({ ok: false, code: 'REPLAYED', message: 'Dữ liệu xác thực đã được sử dụng.', messageEn: 'The token has already been used (replay).' });
    expect((await post('/v1/verify', { sessionId: 'khac', token: makeToken('leaf-org', 'x'.repeat(43)) })).json.code).toBe('NONCE_UNKNOWN');
    const n2 = await challenge('phien-4');
    expect((await post('/v1/verify', { sessionId: 'phien-4', token: makeToken('leaf-org', n2, { origin: 'https://evil.example' }) })).json.code).toBe('ORIGIN_MISMATCH');
    expect((await post('/v1/verify', { sessionId: 'phien-4', token: makeToken('leaf-org', n2, { keyOf: 'leaf-mst-cccd' }) })).json.code).toBe('BAD_SIGNATURE');
    expect((await post('/v1/verify', { sessionId: 'phien-4', token: { format: 'kyso-auth:9' } })).json.code).toBe('BAD_FORMAT');
    // The token may also come as the JSON text the page posted; the challenge survived the failures.
    const ok = await post('/v1/verify', { sessionId: 'phien-4', token: JSON.stringify(makeToken('leaf-org', n2)) });
    expect(ok.json.ok).toBe(true);
  });

  it('certificate refusals carry the validator wording and verdict: EXPIRED, UNTRUSTED, REVOKED', async () => {
    for (const [leaf, code, vi] of [['leaf-expired', 'EXPIRED', /hết hạn/], ['leaf-untrusted', 'UNTRUSTED', /tin cậy/], ['leaf-revoked', 'REVOKED', /thu hồi/]] as const) {
      const nonce = await challenge('phien-cert');
      const r = await post('/v1/verify', { sessionId: 'phien-cert', token: makeToken(leaf, nonce) });
      expect(r.status, leaf).toBe(200);
      expect(r.json, leaf).toMatchObject({ ok: false, code, validation: { ok: false, code } });
      expect(r.json.message, leaf).toMatch(vi);
      expect(r.json.message).toBe(r.json.validation.message);
      expect(r.json.messageEn).toBe(r.json.validation.messageEn);
    }
  });
});

describe('requests that are not well-formed', () => {
  const cases: [string, string | undefined, Record<string, string>, string][] = [
    ['no sessionId', '{"token":{}}', { 'Content-Type': 'application/json' }, 'sessionId'],
    ['sessionId not a string', '{"sessionId":42,"token":{}}', { 'Content-Type': 'application/json' }, 'sessionId'],
    ['empty sessionId', '{"sessionId":"","token":{}}', { 'Content-Type': 'application/json' }, 'sessionId'],
    ['no token', '{"sessionId":"a"}', { 'Content-Type': 'application/json' }, 'token'],
    ['token a number', '{"sessionId":"a","token":5}', { 'Content-Type': 'application/json' }, 'token'],
    ['unknown field', '{"sessionId":"a","token":{},"nonce":"x"}', { 'Content-Type': 'application/json' }, 'nonce'],
    ['not JSON', '{"sessionId":', { 'Content-Type': 'application/json' }, 'body'],
    ['a JSON array', '[1,2]', { 'Content-Type': 'application/json' }, 'body'],
    ['empty body', undefined, { 'Content-Type': 'application/json' }, 'body'],
    ['form encoded', 'sessionId=a', { 'Content-Type': 'application/x-www-form-urlencoded' }, 'Content-Type'],
  ];
  for (const [label, body, headers, field] of cases) {
    it(`400 INVALID_REQUEST naming the field: ${label}`, async () => {
      const r = await call('POST', '/v1/verify', body, headers);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ ok: false, code: 'INVALID_REQUEST', field });
      expect(r.json.message).toContain(field);
      expect(r.json.messageEn).toContain(field);
    });
  }

  it('413 BODY_TOO_LARGE over 64 KiB, declared or streamed; 64 KiB itself is read', async () => {
    const big = Buffer.alloc(64 * 1024 + 1, 0x20);
    const declared = await call('POST', '/v1/verify', big, { 'Content-Type': 'application/json', 'Content-Length': String(big.length) });
    expect(declared.status).toBe(413);
    expect(declared.json).toMatchObject({ ok: false, code: 'BODY_TOO_LARGE' });
    const streamed = await call('POST', '/v1/verify', big, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    const exact = Buffer.concat([Buffer.from('{"sessionId":"a","token":"'), Buffer.alloc(64 * 1024 - 28, 0x41), Buffer.from('"}')]);
    expect(exact.length).toBe(64 * 1024);
    const r = await call('POST', '/v1/verify', exact);
    expect(r.status).toBe(400); // read in full: the token is longer than a token may be
    expect(r.json.field).toBe('token');
  });

  it('404 for other paths, 405 with Allow for other methods', async () => {
    expect((await call('GET', '/v1/nothing')).json.code).toBe('NOT_FOUND');
    const r = await call('GET', '/v1/verify');
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('POST');
    expect((await call('POST', '/healthz', '{}')).status).toBe(405);
  });
});

describe('health, metrics, logs', () => {
  it('/healthz 200 while the store answers; 503 STORE_UNAVAILABLE (and challenges 503) when it does not', async () => {
    expect((await call('GET', '/healthz')).json).toEqual({ ok: true, store: 'up' });
    const store = new SqliteChallengeStore();
    const other = await startVerifierService({ store, origin: ORIGIN, trustAnchors: ANCHORS, revocation: 'off', port: 0 });
    try {
      expect((await call('GET', '/healthz', undefined, {}, other.url)).status).toBe(200);
      store.close(); // the database is gone from under the service
      const h = await call('GET', '/healthz', undefined, {}, other.url);
      expect(h.status).toBe(503);
      expect(h.json).toMatchObject({ ok: false, code: 'STORE_UNAVAILABLE' });
      const c = await call('POST', '/v1/challenges', '{"sessionId":"a"}', { 'Content-Type': 'application/json' }, other.url);
      expect(c.status).toBe(503);
      expect(c.json.code).toBe('STORE_UNAVAILABLE');
      const v = await call('POST', '/v1/verify', JSON.stringify({ sessionId: 'a', token: makeToken('leaf-org', 'x'.repeat(43)) }), { 'Content-Type': 'application/json' }, other.url);
      expect(v.status).toBe(503);
    } finally {
      await other.close();
    }
  });

  it('/metrics: Prometheus text with requests, verifications by result, store latency, verdict cache', async () => {
    sharedCache().clear();
    const nonce = await challenge('phien-m');
    await post('/v1/verify', { sessionId: 'phien-m', token: makeToken('leaf-civil-servant', nonce) });
    const r = await call('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(r.text).toMatch(/^kyso_verifier_requests_total\{route="\/v1\/verify",status="200"\} \d+$/m);
    expect(r.text).toMatch(/^kyso_verifier_verifications_total\{result="ok"\} \d+$/m);
    expect(r.text).toMatch(/^kyso_verifier_verifications_total\{result="REPLAYED"\} \d+$/m);
    expect(r.text).toMatch(/^kyso_verifier_store_operation_seconds_bucket\{op="consume",le="\+Inf"\} \d+$/m);
    expect(r.text).toMatch(/^kyso_verifier_store_operation_seconds_count\{op="add"\} \d+$/m);
    expect(r.text).toMatch(/^kyso_verifier_verdict_cache_misses_total \d+$/m);
    expect(r.text).toMatch(/^# TYPE kyso_verifier_store_operation_seconds histogram$/m);
  });

  it('the verdict is reused within 60 s: a second login with the same certificate asks OCSP nothing', async () => {
    sharedCache().clear();
    const before = svc.verifier.verdicts.hits;
    for (const s of ['v1', 'v2']) {
      const nonce = await challenge(s);
      expect((await post('/v1/verify', { sessionId: s, token: makeToken('leaf-mst-cccd', nonce) })).json.ok).toBe(true);
    }
    expect(svc.verifier.verdicts.hits).toBe(before + 1);
    expect(pki.hits.ocsp).toBe(1);
  });

  it('never logs a nonce, a token, a session id (even at trace level)', async () => {
    const sessionId = 'phien-bi-mat-0123456789';
    const nonce = await challenge(sessionId);
    const token = makeToken('leaf-org', nonce);
    await post('/v1/verify', { sessionId, token });
    await post('/v1/verify', { sessionId, token });
    await call('POST', '/v1/verify', `{"sessionId":"${sessionId}","token":`);
    const all = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [sessionId, nonce, token.signature.slice(0, 24), der64('leaf-org').slice(0, 40)]) expect(all).not.toContain(secret);
  });
});
