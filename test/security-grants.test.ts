// The cross-site proof forgery, tried as an attacker would against a real daemon: origin B, allowed
// to log in, asks sign.hash for SHA-256(SHA-256(portal) ‖ SHA-256(nonce)) — a login proof for the
// portal. Without the sign-raw grant (listed, or given in the warned dialog) it must fail, with or
// without the PIN cache, for RSA and EC keys; with it, every raw hash still shows its consent.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMessage } from '../src/proof/auth-proof.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { RpcClient } from './support/rpc-client.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';

const PORTAL = 'https://dichvucong.tinh.example';
const ATTACKER = 'https://b.example';
const ORG = tokenSpec('KYSO DOANH NGHIEP');
const CITIZEN = tokenSpec('KYSO CONG DAN');

interface Cert { id: string; label: string; certificate: string; keyAlgorithm: string }

function forgedHash(nonce: string): string {
  return createHash('sha256').update(authMessage(PORTAL, nonce)).digest('base64');
}

/** What the portal verifier checks of a proof's signature (RS256 / ES256 over the auth message). */
function isProofForPortal(cert: Cert, nonce: string, signatureB64: string): boolean {
  const key = new X509Certificate(Buffer.from(cert.certificate, 'base64')).publicKey;
  const ec = cert.keyAlgorithm.startsWith('EC');
  return verify('sha256', authMessage(PORTAL, nonce), ec ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(signatureB64, 'base64'));
}

function originsList(d: TestDaemon): { origin: string; grants: string[]; denied: string[]; source: string }[] {
  return JSON.parse(execFileSync(process.execPath, [CLI, 'origins', 'list', '--json', '--config', join(d.configDir, 'config.json')], { encoding: 'utf8' }));
}

describe.each([
  { name: 'no PIN cache', args: [] as string[] },
  { name: 'PIN cache 60 s', args: ['--pin-cache', '60'] },
])('forged login proof via sign.hash ($name)', ({ args }) => {
  const env = freshSoftHsm([ORG, CITIZEN]);
  let d: TestDaemon;
  let c: RpcClient;
  let certs: Cert[];
  beforeAll(async () => {
    d = await startTestDaemon(env, ['--no-tls', '--allow-origin', ATTACKER, '--revocation', 'off', '--trust-anchor', 'certs-fixtures/out/root-national.pem', ...args]);
    c = await RpcClient.connect(d.url, { origin: ATTACKER });
    certs = ((await c.call('certificates.list')).result as { certificates: Cert[] }).certificates;
  });
  afterAll(async () => { c?.close(); await d?.stop(); env.cleanup(); });

  it('login is held, sign-raw is not: the warned grant dialog comes first, and a refusal is remembered and listed', async () => {
    // With a PIN cache, a login first leaves the token unlocked for this origin: the attack's best case.
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }, { confirm: 'cancel' }]);
    const org = certs.find((x) => x.label === 'leaf-org')!;
    expect((await c.call('auth.sign', { nonce: randomBytes(32).toString('base64url'), certificateId: org.id })).error).toBeUndefined();
    d.pinentry.clearTranscript();
    for (const label of ['leaf-org', 'leaf-person']) {
      const cert = certs.find((x) => x.label === label)!;
      const r = await c.call('sign.hash', { certificateId: cert.id, hash: forgedHash(randomBytes(32).toString('base64url')), hashAlgorithm: 'SHA-256' });
      expect(r.result, label).toBeUndefined();
      expect(r.error?.data).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', grant: 'sign-raw' });
    }
    const descs = d.pinentry.transcript().filter((e) => e.cmd === 'SETDESC').map((e) => e.text);
    expect(descs).toHaveLength(1); // one grant dialog; the second request was refused from memory
    expect(descs[0]).toContain('b.example');
    expect(descs[0]).toContain('log in as you on other sites');
    expect(d.pinentry.transcript().some((e) => e.cmd === 'GETPIN')).toBe(false);
    expect(originsList(d).find((e) => e.origin === ATTACKER)).toMatchObject({ denied: ['sign-raw'], source: 'dialog' });
  });

  it('a revoke takes effect on the open connection; allowed in the warned dialog, each raw hash still gets its consent', async () => {
    execFileSync(process.execPath, [CLI, 'origins', 'revoke', ATTACKER, '--grant', 'sign-raw', '--config', join(d.configDir, 'config.json')]);
    const cached = args.length > 0;
    d.pinentry.setScript([{ confirm: 'ok' }, { confirm: 'ok' }, ...(cached ? [] : [{ pin: ORG.userPin }]), { confirm: 'ok' }, ...(cached ? [] : [{ pin: ORG.userPin }])]);
    d.pinentry.clearTranscript();
    const org = certs.find((x) => x.label === 'leaf-org')!;
    for (let i = 0; i < 2; i++) {
      const nonce = randomBytes(32).toString('base64url');
      const r = await c.call('sign.hash', { certificateId: org.id, hash: forgedHash(nonce), hashAlgorithm: 'SHA-256' });
      expect(r.error).toBeUndefined();
      // The control: with the grant the raw signature IS a proof for the portal — which is why it needs the grant.
      expect(isProofForPortal(org, nonce, (r.result as { signature: string }).signature)).toBe(true);
    }
    const t = d.pinentry.transcript();
    const confirms = t.filter((e) => e.cmd === 'SETDESC').map((e) => e.text);
    expect(confirms[0]).toContain('CẢNH BÁO'); // the grant dialog, once
    expect(confirms.filter((x) => x.includes('ký một giá trị băm'))).toHaveLength(2); // a consent per hash
    expect(t.filter((e) => e.cmd === 'GETPIN')).toHaveLength(cached ? 0 : 2);
  });
});

describe('refusable requests are refused before any dialog', () => {
  const env = freshSoftHsm([ORG]);
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(env, ['--no-tls', '--allow-origin', ATTACKER, '--allow-raw-signing', PORTAL, '--revocation', 'off', '--trust-anchor', 'certs-fixtures/out/root-national.pem']);
  });
  afterAll(async () => { await d?.stop(); env.cleanup(); });

  it('ECDSA on an RSA certificate: MECHANISM_INVALID with no grant, consent or PIN dialog', async () => {
    for (const origin of [PORTAL, ATTACKER]) {
      const c = await RpcClient.connect(d.url, { origin });
      const org = ((await c.call('certificates.list')).result as { certificates: Cert[] }).certificates.find((x) => x.label === 'leaf-org')!;
      d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
      d.pinentry.clearTranscript();
      const r = await c.call('sign.hash', { certificateId: org.id, hash: createHash('sha256').update('x').digest('base64'), hashAlgorithm: 'SHA-256', algorithm: 'ECDSA' });
      expect(r.error?.data?.code, origin).toBe('MECHANISM_INVALID');
      expect(d.pinentry.transcript(), origin).toEqual([]);
      c.close();
    }
  });
});
