// The SDK from Node against the real daemon (`kyso-bridge serve --no-tls`, SoftHSM, scripted
// pinentry): the method contract, typed errors, and a proof kyso-bridge/portal accepts.
import { createHash, verify, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import * as K from '../src/client/index.js';
import { createChallenge, MemoryChallengeStore, verifyAuthToken } from '../src/portal/index.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';

const PORTAL = 'http://127.0.0.1:18080';
const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
const ORG = tokenSpec('KYSO DOANH NGHIEP');

/** A WebSocket that sends a chosen Origin, as a browser page on that origin would. */
const withOrigin = (origin: string) => class extends WS {
  constructor(url: string) { super(url, { origin }); }
} as unknown as K.WebSocketCtor;

describe.skipIf(!existsSync(CLI))('SDK against the real daemon', () => {
  const env = freshSoftHsm([ORG]);
  let d: TestDaemon;
  const opts = () => ({ url: d.url, WebSocket: withOrigin(PORTAL) });

  beforeAll(async () => {
    d = await startTestDaemon(env, ['--no-tls', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL, '--revocation', 'off',
      '--trust-anchor', join(OUT, 'root-national.pem'), '--trust-anchor', join(OUT, 'root-gov.pem')]);
  });
  afterAll(async () => {
    K.disconnect();
    await d?.stop();
    env.cleanup();
  });

  it('status, tokens and certificates', async () => {
    const s = await K.status(opts());
    expect(s).toMatchObject({ running: true, compatible: true, info: { name: 'kyso-bridge', protocol: 1 } });
    const tokens = await K.listTokens(opts());
    expect(tokens.map((t) => t.label)).toEqual([ORG.label]);
    const certs = await K.listCertificates({ ...opts(), tokenId: tokens[0].id });
    expect(certs.length).toBe(2);
    const org = certs.find((c) => c.identity.taxCode === '3301234567')!;
    expect(org.status).toMatchObject({ ok: true });
  });

  it('signHash: a signature that verifies against the certificate', async () => {
    const certs = await K.listCertificates(opts());
    const org = certs.find((c) => c.identity.taxCode === '3301234567')!;
    const digest = createHash('sha256').update('Tờ khai thuế').digest();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const r = await K.signHash({ certificateId: org.id, hash: new Uint8Array(digest), hashAlgorithm: 'SHA-256' }, opts());
    const key = new X509Certificate(Buffer.from(org.certificate, 'base64')).publicKey;
    // PKCS#1 v1.5 over a precomputed digest: verify the DigestInfo form.
    expect(verify('sha256', Buffer.from('Tờ khai thuế'), key, Buffer.from(r.signature, 'base64'))).toBe(true);
  });

  it('authenticate: a proof the portal verifier accepts for this origin', async () => {
    const store = new MemoryChallengeStore();
    const certs = await K.listCertificates(opts());
    const org = certs.find((c) => c.identity.taxCode === '3301234567')!;
    const { nonce } = await createChallenge('sess-1', { store });
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const token = await K.authenticate(nonce, { ...opts(), certificateId: org.id });
    expect(token).toMatchObject({ format: 'kyso-auth:1', origin: PORTAL, algorithm: 'RS256' });
    const who = await verifyAuthToken(token, {
      expectedOrigin: PORTAL, sessionId: 'sess-1', store, revocation: 'off',
      trustAnchors: [readFileSync(join(OUT, 'root-national.pem'), 'utf8')],
    });
    expect(who).toMatchObject({ kind: 'organization', taxCode: '3301234567', name: 'Công ty TNHH Phần mềm Dương Hòa' });
  });

  it('typed errors: cancelled, origin not allowed, bad params, unknown certificate', async () => {
    d.pinentry.setScript([{ confirm: 'cancel' }]);
    await expect(K.authenticate('A'.repeat(43), opts())).rejects.toBeInstanceOf(K.UserCancelledError);
    const stranger = { url: d.url, WebSocket: withOrigin('http://127.0.0.1:18081') };
    expect((await K.status(stranger)).running).toBe(true); // bridge.info is open to every origin
    const e = await K.listTokens(stranger).catch((x) => x);
    expect(e).toBeInstanceOf(K.OriginNotAllowedError);
    expect(e.message).toMatch(/chưa được phép/);
    await expect(K.authenticate('A'.repeat(43), { ...opts(), certificateId: 'ffff-0000' })).rejects.toBeInstanceOf(K.CertificateNotFoundError);
  });
});
