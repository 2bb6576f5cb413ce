// Real Vietnamese CA certificates from ../shared/trust (public data, tests only). They carry
// public OCSP/CRL/AIA URLs: every fetch here goes through a fetcher that refuses them.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { importRootFile, listRoots, OFFICIAL_ROOTS, ValidationCache, validateCertificate, type ValidateOptions } from '../src/certs/index.js';
import { x509 } from '../src/certs/x509.js';

const TRUST = new URL('../../shared/trust/', import.meta.url);
const file = (name: string) => new URL(`${name}.pem`, TRUST).pathname;
const pem = (name: string) => readFileSync(file(name), 'utf8');
const refuse = vi.fn((url: string) => Promise.reject(new Error(`test refused network access to ${url}`)));
const opts = (extra: Partial<ValidateOptions> = {}): ValidateOptions => ({ revocation: 'off', fetch: refuse, rootsDir: false, intermediatesDir: false, cache: new ValidationCache(), ...extra });

describe('pins', () => {
  it('the pinned fingerprints are those of the published roots', () => {
    const sha = (n: string) => createHash('sha256').update(Buffer.from(new x509.X509Certificate(pem(n)).rawData)).digest('hex').toUpperCase();
    expect(OFFICIAL_ROOTS.map((p) => p.sha256)).toEqual([sha('vietnam-national-root-ca'), sha('mic-national-root-ca'), sha('bcy-rootca-g2')]);
    const readme = readFileSync(new URL('README.md', TRUST), 'utf8');
    for (const p of OFFICIAL_ROOTS) expect(readme).toContain(p.sha256.slice(0, 16).match(/../g)!.join(':'));
  });
});

describe('real chains', () => {
  it('VNPT-CA SHA2 chains to Vietnam National Root CA', async () => {
    const s = await validateCertificate(pem('vnpt-ca-sha2'), opts({ intermediates: [pem('vietnam-national-root-ca')] }));
    expect(s).toMatchObject({ ok: true, code: 'VALID' });
    expect(s.chain[1]).toContain('CN=Vietnam National Root CA');
  });

  it('CA phục vụ các cơ quan Nhà nước G2 chains to RootCA chuyên dùng Chính phủ G2', async () => {
    const s = await validateCertificate(pem('bcy-ca-co-quan-nha-nuoc-g2'), opts({ intermediates: [pem('bcy-rootca-g2')] }));
    expect(s).toMatchObject({ ok: true, code: 'VALID' });
    expect(s.chain).toHaveLength(2);
    expect(s.chain[1]).toContain('RootCA chuyên dùng Chính phủ G2');
  });

  it('BkavCA License leaf: EXPIRED now, VALID at 2019-01-01 through BkavCA to MIC National Root CA', async () => {
    const intermediates = [pem('bkavca-2015'), pem('mic-national-root-ca')];
    const now = await validateCertificate(pem('bkavca-license-leaf-2018'), opts({ intermediates }));
    expect(now).toMatchObject({ ok: false, code: 'EXPIRED' });
    const then = await validateCertificate(pem('bkavca-license-leaf-2018'), opts({ intermediates, at: new Date('2019-01-01T00:00:00Z') }));
    expect(then).toMatchObject({ ok: true, code: 'VALID', warnings: [{ code: 'SHA1_SIGNATURE' }] });
    expect(then.chain.map((s) => /CN=([^,]+)/.exec(s)?.[1])).toEqual(['BkavCA License', 'BkavCA', 'MIC National Root CA']);
  });

  it('revocation prefer with public URLs refused: REVOCATION_UNKNOWN, usable; only the refusing fetcher was asked', async () => {
    refuse.mockClear();
    const s = await validateCertificate(pem('bkavca-license-leaf-2018'), opts({
      intermediates: [pem('bkavca-2015'), pem('mic-national-root-ca')], at: new Date('2019-01-01T00:00:00Z'), revocation: 'prefer',
    }));
    expect(s).toMatchObject({ ok: true, code: 'REVOCATION_UNKNOWN', revocation: { status: 'unknown' } });
    expect(refuse.mock.calls.map((c) => c[0])).toEqual(['http://ocsp.bkavca.vn', 'http://crl.bkavca.vn/BkavCA.crl']);
    const req = await validateCertificate(pem('bkavca-license-leaf-2018'), opts({
      intermediates: [pem('bkavca-2015'), pem('mic-national-root-ca')], at: new Date('2019-01-01T00:00:00Z'), revocation: 'require',
    }));
    expect(req).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
  });

  it('no root file shipped, OS store not consulted: without the root at hand VNPT-CA is UNTRUSTED', async () => {
    const s = await validateCertificate(pem('vnpt-ca-sha2'), opts({ network: false }));
    expect(s).toMatchObject({ ok: false, code: 'UNTRUSTED', reason: 'NO_ISSUER' });
  });

  it('a look-alike root (same name, other key) is not trusted: the pin is the fingerprint', async () => {
    const real = new x509.X509Certificate(pem('vietnam-national-root-ca'));
    const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    const rootKeys = await crypto.subtle.generateKey(alg, false, ['sign', 'verify']) as CryptoKeyPair;
    const fakeRoot = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01', name: real.subjectName, keys: rootKeys, notBefore: new Date('2020-01-01'), notAfter: new Date('2040-01-01'),
      signingAlgorithm: alg, extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    const subKeys = await crypto.subtle.generateKey(alg, false, ['sign', 'verify']) as CryptoKeyPair;
    const fakeSub = await x509.X509CertificateGenerator.create({
      serialNumber: '02', subject: 'CN=VNPT-CA SHA2, O=VIETNAM POSTS AND TELECOMMUNICATIONS GROUP, C=VN', issuer: fakeRoot.subject,
      notBefore: new Date('2024-01-01'), notAfter: new Date('2030-01-01'), publicKey: subKeys.publicKey, signingKey: rootKeys.privateKey, signingAlgorithm: alg,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const s = await validateCertificate(fakeSub, opts({ intermediates: [fakeRoot] }));
    expect(s).toMatchObject({ ok: false, code: 'UNTRUSTED', reason: 'UNTRUSTED_ROOT' });
  });
});

describe('roots import', () => {
  it('imports a pinned root, then validates with it; refuses a non-pinned one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-roots-'));
    try {
      const [stored] = importRootFile(file('vietnam-national-root-ca'), { dir });
      expect(stored).toMatchObject({ forced: false, pin: { id: 'vn-national-root' } });
      expect(() => importRootFile(file('bkavca-2015'), { dir })).toThrow(/matches no official root pin/);
      expect(listRoots(dir).map((r) => r.pin?.name)).toEqual(['Vietnam National Root CA']);
      const s = await validateCertificate(pem('vnpt-ca-sha2'), opts({ rootsDir: dir, network: false }));
      expect(s).toMatchObject({ ok: true, code: 'VALID', warnings: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
