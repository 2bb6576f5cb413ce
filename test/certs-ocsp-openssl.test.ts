// Cross-check of our OCSP encoding against OpenSSL, so client and test responder cannot share
// one misunderstanding: openssl reads our requests (same CertID as its own) and verifies the
// loopback responder's signed answers. No network: files only. Skipped without openssl.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOcspRequest } from '../src/certs/index.js';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import { fixtureCert, PkiServer } from './support/pki-server.js';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();
const dir = mkdtempSync(join(tmpdir(), 'kyso-ocsp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fx = (n: string) => join(OUT_DIR, `${n}.pem`);
/** stdout and stderr together (openssl prints "Response verify OK" on stderr). */
const openssl = (args: string[]) => {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};
const certIdLines = (text: string) => text.split('\n').filter((l) => /Issuer (Name|Key) Hash|Serial Number/.test(l)).map((l) => l.trim());

describe.skipIf(!hasOpenssl)('OCSP interop with openssl', () => {
  it('openssl reads our request; its CertID equals the one openssl builds itself', () => {
    const ours = join(dir, 'ours.der');
    writeFileSync(ours, buildOcspRequest(fixtureCert('leaf-revoked'), fixtureCert('ca-rsa'), new Uint8Array(16).fill(9)));
    const parsed = openssl(['ocsp', '-reqin', ours, '-req_text']);
    expect(parsed).toContain('OCSP Nonce');
    const theirs = openssl(['ocsp', '-issuer', fx('ca-rsa'), '-cert', fx('leaf-revoked'), '-reqout', join(dir, 'theirs.der'), '-no_nonce', '-req_text']);
    expect(certIdLines(parsed)).toHaveLength(3);
    expect(certIdLines(parsed)).toEqual(certIdLines(theirs));
  });

  const server = new PkiServer();
  // The fixture leaves encode their issuer DN with other string types than the CA's subject
  // (generate.ts rebuilds it from JSON), so openssl's byte-wise issuer match cannot link a
  // delegated responder to the CA; the delegated signature is checked with -VAfile instead.
  const answer = (mode: PkiServer['ocspMode'], leaf: string) => {
    server.ocspMode = mode;
    const file = join(dir, `${mode}-${leaf}.der`);
    writeFileSync(file, new Uint8Array(server.ocspResponse('ca-rsa', buildOcspRequest(fixtureCert(leaf), fixtureCert('ca-rsa'), new Uint8Array(16)))));
    const trust = mode === 'delegated' ? ['-VAfile', fx('ocsp-ca-rsa')] : ['-CAfile', fx('root-national'), '-verify_other', fx('ca-rsa')];
    return openssl(['ocsp', '-respin', file, '-issuer', fx('ca-rsa'), '-cert', fx(leaf), ...trust, '-no_nonce']);
  };

  it('openssl verifies the loopback responder: CA-signed and delegated, good and revoked', () => {
    for (const mode of ['ok', 'delegated'] as const) {
      const good = answer(mode, 'leaf-org');
      expect(good).toContain('Response verify OK');
      expect(good).toMatch(/leaf-org\.pem: good/);
      const revoked = answer(mode, 'leaf-revoked');
      expect(revoked).toContain('Response verify OK');
      expect(revoked).toMatch(/leaf-revoked\.pem: revoked[\s\S]*Reason: keyCompromise/);
    }
  });

  it('openssl rejects the tampered and the unauthorized responses too', () => {
    // Signed by leaf-org's key: not the CA, not a responder openssl was told to trust.
    expect(answer('unauthorized', 'leaf-org')).not.toContain('Response verify OK');
    server.ocspMode = 'tampered';
    const der = Buffer.from(server.ocspResponse('ca-rsa', buildOcspRequest(fixtureCert('leaf-org'), fixtureCert('ca-rsa'), new Uint8Array(16))));
    der[der.length - 10] ^= 0x01;
    const file = join(dir, 'tampered.der');
    writeFileSync(file, der);
    const out = openssl(['ocsp', '-respin', file, '-issuer', fx('ca-rsa'), '-cert', fx('leaf-org'), '-CAfile', fx('root-national'), '-verify_other', fx('ca-rsa'), '-no_nonce']);
    expect(out).not.toContain('Response verify OK');
    expect(out).toMatch(/verify fail|Verify Failure|signature failure|bad signature/i);
  });
});
