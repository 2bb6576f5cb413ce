import { createHash, verify, X509Certificate } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { RpcClient } from './support/rpc-client.js';

const PORTAL = 'https://portal.example';
const nonce = () => randomBytes(32).toString('base64url');

describe('daemon JSON-RPC API over a real socket', () => {
  const env = freshSoftHsm();
  let d: TestDaemon;
  let c: RpcClient;
  const orgPin = tokenSpec('KYSO DOANH NGHIEP').userPin;
  const citizenPin = tokenSpec('KYSO CONG DAN').userPin;
  const WRONG = '999000';
  const usedNonces: string[] = [];

  beforeAll(async () => {
    d = await startTestDaemon(env, ['--no-tls', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL, '--trust-anchor', 'certs-fixtures/out/root-national.pem',
      '--trust-anchor', 'certs-fixtures/out/root-gov.pem', '--revocation', 'off']);
    c = await RpcClient.connect(d.url, { origin: PORTAL });
  });
  afterAll(async () => { c?.close(); await d?.stop(); env.cleanup(); });

  async function certs() {
    const r = await c.call('certificates.list');
    return (r.result as { certificates: { id: string; label: string; certificate: string; status: { ok: boolean; code: string }; identity: Record<string, string> }[] }).certificates;
  }

  it('bridge.info describes the plugin', async () => {
    const r = await c.call('bridge.info');
    expect(r.result).toMatchObject({ name: 'kyso-bridge', protocol: 1, platform: process.platform });
    expect((r.result as { features: string[] }).features).toContain('auth.sign');
  });

  it('tokens.list gives the token JSON of the CLI', async () => {
    const r = await c.call('tokens.list');
    const tokens = (r.result as { tokens: { label: string; pin: { retriesLeft: unknown } }[] }).tokens;
    expect(tokens.map((t) => t.label).sort()).toEqual(['KYSO CO QUAN', 'KYSO CONG DAN', 'KYSO DOANH NGHIEP', 'KYSO HET HAN']);
    expect(tokens[0].pin).toHaveProperty('retriesLeft');
  });

  it('certificates.list carries a validation status per certificate', async () => {
    const list = await certs();
    const byLabel = Object.fromEntries(list.map((x) => [x.label, x]));
    expect(byLabel['leaf-org'].status).toMatchObject({ ok: true, code: 'VALID' });
    expect(byLabel['leaf-expired'].status).toMatchObject({ ok: false, code: 'EXPIRED' });
    expect(byLabel['leaf-person'].identity.citizenId).toBe('001190012345');
    const one = await c.call('certificates.list', { tokenId: list[0].id.split('-')[0] });
    expect((one.result as { certificates: unknown[] }).certificates.length).toBeGreaterThan(0);
  });

  it('auth.sign makes an origin-bound proof that node:crypto verifies; the dialogs name who asks and with what', async () => {
    const org = (await certs()).find((x) => x.label === 'leaf-org')!;
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: orgPin }]);
    const n = nonce();
    usedNonces.push(n);
    const r = await c.call('auth.sign', { nonce: n, certificateId: org.id });
    const proof = r.result as { format: string; certificate: string; chain: string[]; algorithm: string; signature: string; origin: string };
    expect(proof).toMatchObject({ format: 'kyso-auth:1', algorithm: 'RS256', origin: PORTAL, certificate: org.certificate });
    expect(proof.chain.length).toBeGreaterThan(0);
    const msg = Buffer.concat([createHash('sha256').update(PORTAL).digest(), createHash('sha256').update(n).digest()]);
    const key = new X509Certificate(Buffer.from(proof.certificate, 'base64')).publicKey;
    expect(verify('sha256', msg, key, Buffer.from(proof.signature, 'base64'))).toBe(true);
    const other = Buffer.concat([createHash('sha256').update('https://evil.example').digest(), createHash('sha256').update(n).digest()]);
    expect(verify('sha256', other, key, Buffer.from(proof.signature, 'base64'))).toBe(false);
    const texts = d.pinentry.transcript().map((e) => e.text).join('\n');
    expect(texts).toContain('portal.example');
    expect(texts).toContain('Công ty TNHH Phần mềm Dương Hòa');
    expect(texts).toContain('3301234567');
    expect(texts).toContain('Kyso Test VNPT-CA SHA2');
    expect(texts).toMatch(/PIN/);
  });

  it('auth.sign with an EC key gives ES256 with raw r‖s', async () => {
    const person = (await certs()).find((x) => x.label === 'leaf-person')!;
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: citizenPin }]);
    const n = nonce();
    const r = await c.call('auth.sign', { nonce: n, certificateId: person.id });
    const proof = r.result as { algorithm: string; signature: string };
    expect(proof.algorithm).toBe('ES256');
    const msg = Buffer.concat([createHash('sha256').update(PORTAL).digest(), createHash('sha256').update(n).digest()]);
    const key = new X509Certificate(Buffer.from(person.certificate, 'base64')).publicKey;
    expect(Buffer.from(proof.signature, 'base64').length).toBe(64);
    expect(verify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(proof.signature, 'base64'))).toBe(true);
  });

  it('a wrong PIN re-asks with the error shown, never resends, then the right PIN signs', async () => {
    const org = (await certs()).find((x) => x.label === 'leaf-org')!;
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: WRONG }, { pin: orgPin }]);
    const hash = createHash('sha256').update('tờ khai').digest();
    const r = await c.call('sign.hash', { certificateId: org.id, hash: hash.toString('base64'), hashAlgorithm: 'SHA-256' });
    expect(r.error).toBeUndefined();
    const res = r.result as { signature: string; algorithm: string };
    expect(res.algorithm).toBe('RSASSA-PKCS1-v1_5');
    const key = new X509Certificate(Buffer.from(org.certificate, 'base64')).publicKey;
    expect(verify('sha256', Buffer.from('tờ khai'), key, Buffer.from(res.signature, 'base64'))).toBe(true);
    const t = d.pinentry.transcript();
    expect(t.filter((e) => e.cmd === 'GETPIN')).toHaveLength(2);
    expect(t.filter((e) => e.cmd === 'SETERROR').map((e) => e.text).join()).toContain('Mã PIN không đúng');
    expect(d.pinentry.consumed()).toBe(3);
  });

  it('cancel at the consent or at the PIN gives USER_CANCELLED', async () => {
    const org = (await certs()).find((x) => x.label === 'leaf-org')!;
    d.pinentry.setScript([{ confirm: 'cancel' }]);
    const r1 = await c.call('auth.sign', { nonce: nonce(), certificateId: org.id });
    expect(r1.error?.data?.code).toBe('USER_CANCELLED');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: 'cancel' }]);
    const r2 = await c.call('auth.sign', { nonce: nonce(), certificateId: org.id });
    expect(r2.error?.data?.code).toBe('USER_CANCELLED');
    expect(r2.error?.message).toContain('huỷ');
  });

  it('refuses an expired certificate with CERTIFICATE_INVALID before any dialog', async () => {
    const expired = (await certs()).find((x) => x.label === 'leaf-expired')!;
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: '111111' }]);
    const r = await c.call('auth.sign', { nonce: nonce(), certificateId: expired.id });
    expect(r.error?.data?.code).toBe('CERTIFICATE_INVALID');
    expect((r.error?.data?.status as { code: string }).code).toBe('EXPIRED');
    expect(d.pinentry.transcript()).toEqual([]);
    const r2 = await c.call('sign.hash', { certificateId: expired.id, hash: Buffer.alloc(32).toString('base64'), hashAlgorithm: 'SHA-256' });
    expect(r2.error?.data?.code).toBe('CERTIFICATE_INVALID');
    expect(d.pinentry.transcript()).toEqual([]);
  });

  it('unknown certificate, bad params and wrong hash length are clear errors', async () => {
    const r1 = await c.call('sign.hash', { certificateId: 'abcdef0123456789-0000000000000000', hash: Buffer.alloc(32).toString('base64'), hashAlgorithm: 'SHA-256' });
    expect(r1.error?.data?.code).toBe('CERTIFICATE_NOT_FOUND');
    const r2 = await c.call('sign.hash', { certificateId: 'abc', hash: Buffer.alloc(20).toString('base64'), hashAlgorithm: 'SHA-256' });
    expect(r2.error).toMatchObject({ code: -32602, data: { code: 'INVALID_PARAMS' } });
    expect(r2.error?.message).toContain('32 bytes');
    const r3 = await c.call('auth.sign', { nonce: 'short' });
    expect(r3.error?.data?.code).toBe('INVALID_PARAMS');
    const r4 = await c.call('auth.sign', { nonce: nonce(), origin: 'https://evil.example' });
    expect(r4.error?.data?.code).toBe('INVALID_PARAMS');
    const r5 = await c.call('certificates.list', { tokenId: 42 });
    expect(r5.error?.data?.code).toBe('INVALID_PARAMS');
    const r6 = await c.call('sign.hash', { certificateId: 'abc', hash: 'not base64!', hashAlgorithm: 'MD5' });
    expect(r6.error?.data?.code).toBe('INVALID_PARAMS');
  });

  it('broken frames get the standard JSON-RPC errors and the connection survives', async () => {
    expect((await c.raw('{not json')).error?.code).toBe(-32700);
    expect((await c.raw('[1,2]')).error?.code).toBe(-32600);
    expect((await c.raw(JSON.stringify({ jsonrpc: '1.0', id: 7, method: 'bridge.info' }), 7)).error?.code).toBe(-32600);
    expect((await c.raw(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'no.such' }), 8)).error?.code).toBe(-32601);
    expect((await c.raw(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'bridge.info', params: 'x' }), 9)).error?.code).toBe(-32600);
    expect((await c.raw(Buffer.from([1, 2, 3]))).error?.code).toBe(-32600);
    expect((await c.call('bridge.info')).result).toBeTruthy();
  });

  it('answers in English when the connection asks for it', async () => {
    const en = await RpcClient.connect(`${d.url}?lang=en`, { origin: PORTAL });
    const r = await en.call('sign.hash', { certificateId: 'abcdef0123456789-0000000000000000', hash: Buffer.alloc(32).toString('base64'), hashAlgorithm: 'SHA-256' });
    expect(r.error?.message).toBe('Certificate not found.');
    en.close();
  });

  it('an oversized frame closes the connection (1009), other connections are unaffected', async () => {
    const big = await RpcClient.connect(d.url, { origin: PORTAL });
    big.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'bridge.info', params: { pad: 'x'.repeat(200_000) } }));
    expect(await big.closed()).toBe(1009);
    expect((await c.call('bridge.info')).result).toBeTruthy();
  });

  it('64 concurrent signs over 8 connections within a PIN-cache window: 0 errors, all verify, one PIN, a consent each', async () => {
    // A daemon with the PIN cache on: one PIN entry, then none for this origin and token — but
    // every raw hash still gets its consent dialog.
    const d2 = await startTestDaemon(env, ['--no-tls', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL, '--trust-anchor', 'certs-fixtures/out/root-national.pem', '--revocation', 'off', '--pin-cache', '60']);
    try {
      const clients = await Promise.all(Array.from({ length: 8 }, () => RpcClient.connect(d2.url, { origin: PORTAL })));
      const list = ((await clients[0].call('certificates.list')).result as { certificates: { id: string; label: string; certificate: string }[] }).certificates;
      const org = list.find((x) => x.label === 'leaf-org')!;
      d2.pinentry.setScript([{ confirm: 'ok' }, { pin: orgPin }, ...Array.from({ length: 64 }, () => ({ confirm: 'ok' as const }))]);
      const warm = await clients[0].call('sign.hash', { certificateId: org.id, hash: createHash('sha256').update('warm').digest('base64'), hashAlgorithm: 'SHA-256' });
      expect(warm.error).toBeUndefined();
      const key = new X509Certificate(Buffer.from(org.certificate, 'base64')).publicKey;
      const replies = await Promise.all(Array.from({ length: 64 }, (_, i) => {
        const data = Buffer.from(`hồ sơ ${i}`);
        return clients[i % 8].call('sign.hash', { certificateId: org.id, hash: createHash('sha256').update(data).digest('base64'), hashAlgorithm: 'SHA-256' })
          .then((r) => ({ r, data }));
      }));
      expect(replies.filter(({ r }) => r.error)).toEqual([]);
      for (const { r, data } of replies) expect(verify('sha256', data, key, Buffer.from((r.result as { signature: string }).signature, 'base64'))).toBe(true);
      expect(d2.pinentry.consumed()).toBe(66);
      expect(d2.pinentry.transcript().filter((t) => t.cmd === 'GETPIN')).toHaveLength(1);
      clients.forEach((x) => x.close());
    } finally {
      await d2.stop();
    }
  });

  it('never logs a PIN or a nonce', () => {
    expect(d.logs.length).toBeGreaterThan(10);
    const all = d.logs.join('\n');
    // Digits around a PIN would be part of a timestamp or pid, not the PIN.
    for (const secret of [orgPin, citizenPin, WRONG]) expect(all).not.toMatch(new RegExp(`(?<![0-9])${secret}(?![0-9])`));
    for (const n of usedNonces) expect(all).not.toContain(n);
    expect(all).toContain('"method":"auth.sign"');
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await d.stop('SIGTERM');
    expect(code).toBe(0);
    expect(d.logs.join('\n')).toContain('"msg":"stopped"');
  });
});
