// A certificate file (.p12) served by the real daemon like a token: listed locked until its
// password is typed in our dialog, then auth.sign and sign.hash with it, verified by node:crypto.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash, randomBytes, verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authMessage } from '../src/proof/auth-proof.js';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { RpcClient } from './support/rpc-client.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';

const PORTAL = 'https://portal.example';
const PASSWORD = 'mật-khẩu 2026';
const OUT = 'certs-fixtures/out';

describe('a .p12 certificate file through the daemon', () => {
  const env = freshSoftHsm([tokenSpec('KYSO CO QUAN')]);
  const dir = mkdtempSync(join(tmpdir(), 'kyso-p12-daemon-'));
  const file = join(dir, 'chu-ky-so.p12');
  let d: TestDaemon;
  let c: RpcClient;
  beforeAll(async () => {
    // Windows-style legacy export (3DES key, RC2-40 certificates): the kind CA tools hand out.
    execFileSync('openssl', ['pkcs12', '-export', '-legacy', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-RC2-40', '-macalg', 'sha1',
      '-inkey', join(OUT, 'leaf-org.key.pem'), '-in', join(OUT, 'leaf-org.pem'), '-certfile', join(OUT, 'ca-rsa.pem'), '-passout', `pass:${PASSWORD}`, '-out', file]);
    d = await startTestDaemon(env, ['--no-tls', '--p12', file, '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL,
      '--revocation', 'off', '--trust-anchor', join(OUT, 'root-national.pem')]);
    c = await RpcClient.connect(d.url, { origin: PORTAL });
  });
  afterAll(async () => { c?.close(); await d?.stop(); env.cleanup(); });

  it('is a locked token with no certificates until the password is given in the dialog (a wrong one re-asks)', async () => {
    const tokens = ((await c.call('tokens.list')).result as { tokens: { id: string; label: string; module: { name: string } }[] }).tokens;
    expect(tokens.find((t) => t.label === 'chu-ky-so.p12')).toMatchObject({ module: { name: 'PKCS#12 file' } });
    d.pinentry.setScript([{ pin: 'sai' }, { pin: PASSWORD }]);
    const certs = ((await c.call('certificates.list')).result as { certificates: { label: string; tokenId: string; status: { code: string } }[] }).certificates;
    const p12Token = tokens.find((t) => t.label === 'chu-ky-so.p12')!;
    expect(certs.filter((x) => x.tokenId === p12Token.id)).toMatchObject([{ status: { code: 'VALID' } }]);
    const t = d.pinentry.transcript();
    expect(t.filter((e) => e.cmd === 'GETPIN')).toHaveLength(2);
    expect(t.find((e) => e.cmd === 'SETPROMPT')?.text).toContain('Mật khẩu');
    expect(t.find((e) => e.cmd === 'SETERROR')?.text).toBeTruthy();
    expect(d.logs.join('\n')).not.toContain(PASSWORD);
  });

  it('auth.sign and sign.hash sign with the file key after the password, and the signatures verify', async () => {
    const tokens = ((await c.call('tokens.list')).result as { tokens: { id: string; label: string }[] }).tokens;
    const list = ((await c.call('certificates.list')).result as { certificates: { id: string; tokenId: string; certificate: string }[] }).certificates;
    const p12 = list.find((x) => x.tokenId === tokens.find((t) => t.label === 'chu-ky-so.p12')!.id)!;
    const key = new X509Certificate(Buffer.from(p12.certificate, 'base64')).publicKey;
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: PASSWORD }, { confirm: 'ok' }, { pin: PASSWORD }]);
    const nonce = randomBytes(32).toString('base64url');
    const proof = (await c.call('auth.sign', { nonce, certificateId: p12.id })).result as { signature: string; algorithm: string; chain: string[] };
    expect(proof.algorithm).toBe('RS256');
    expect(verify('sha256', authMessage(PORTAL, nonce), key, Buffer.from(proof.signature, 'base64'))).toBe(true);
    expect(proof.chain).toHaveLength(1); // the CA certificate inside the file
    const data = Buffer.from('tờ khai thuế');
    const r = (await c.call('sign.hash', { certificateId: p12.id, hash: createHash('sha256').update(data).digest('base64'), hashAlgorithm: 'SHA-256' })).result as { signature: string };
    expect(verify('sha256', data, key, Buffer.from(r.signature, 'base64'))).toBe(true);
    expect(d.pinentry.transcript().filter((e) => e.cmd === 'GETPIN')).toHaveLength(2); // the key is not kept between signs
  });
});
