// The validation matrix over the test PKI (certs-fixtures/out) plus certificates minted here
// from fixture keys for cases the fixture set lacks (MD5, RSA-1024, path length, RSA-PSS…).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importRoot, quickStatus, ValidationCache, validateCertificate, type ValidateOptions } from '../src/certs/index.js';
import { x509 } from '../src/certs/x509.js';
import { fixtureCert, fixtureKeyPem, fixturePem, PkiServer } from './support/pki-server.js';

const subtle = crypto.subtle;
const server = new PkiServer();
beforeAll(async () => { await server.start(); });
afterAll(async () => { await server.stop(); });
beforeEach(() => server.reset());

const CAS = ['ca-rsa', 'ca-ec', 'ca-gov', 'ca-untrusted'].map(fixturePem);
const ANCHORS = [fixturePem('root-national'), fixturePem('root-gov')];
const off = (extra: Partial<ValidateOptions> = {}): ValidateOptions => ({
  intermediates: CAS, trustAnchors: ANCHORS, revocation: 'off', network: false, rootsDir: false, intermediatesDir: false, cache: new ValidationCache(), ...extra,
});

async function issuerKey(name: string, alg: RsaHashedImportParams | EcKeyImportParams | { name: 'RSA-PSS'; hash: string }): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(fixtureKeyPem(name)), alg, false, ['sign']);
}

interface MintSpec {
  cn: string;
  issuer: string | { cert: x509.X509Certificate; key: CryptoKey };
  ca?: number | null;
  keyUsage?: x509.KeyUsageFlags;
  eku?: string[];
  publicKey?: CryptoKey;
  signingAlgorithm?: Algorithm | RsaPssParams | EcdsaParams;
  signingKey?: CryptoKey;
  notBefore?: string;
  notAfter?: string;
}

/** A certificate signed by a fixture CA (or a minted one); returns it with its key pair. */
async function mint(spec: MintSpec): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
  const issuerCert = typeof spec.issuer === 'string' ? fixtureCert(spec.issuer) : spec.issuer.cert;
  const signingKey = spec.signingKey ?? (typeof spec.issuer === 'string' ? await issuerKey(spec.issuer, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }) : spec.issuer.key);
  const ca = spec.ca !== undefined;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Math.floor(Math.random() * 1e9).toString(16).padStart(8, '1'),
    subject: `C=VN, CN=${spec.cn}`,
    issuer: issuerCert.subject,
    notBefore: new Date(spec.notBefore ?? '2024-01-01T00:00:00Z'),
    notAfter: new Date(spec.notAfter ?? '2045-12-31T23:59:59Z'),
    publicKey: spec.publicKey ?? keys.publicKey,
    signingKey,
    signingAlgorithm: spec.signingAlgorithm ?? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(ca, ca && spec.ca !== null ? spec.ca : undefined, true),
      new x509.KeyUsagesExtension(spec.keyUsage ?? (ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation), true),
      ...(spec.eku ? [new x509.ExtendedKeyUsageExtension(spec.eku)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(issuerCert.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(spec.publicKey ?? keys.publicKey),
    ],
  });
  return { cert, keys };
}

describe('fixture matrix (no network)', () => {
  const cases: [string, string, boolean, string[]?][] = [
    ['leaf-org', 'VALID', true],
    ['leaf-person', 'VALID', true],
    ['leaf-civil-servant', 'VALID', true],
    ['leaf-mst-cccd', 'VALID', true],
    ['leaf-expired', 'EXPIRED', false],
    ['leaf-not-yet-valid', 'NOT_YET_VALID', false],
    ['leaf-untrusted', 'UNTRUSTED', false],
    ['leaf-no-sign-usage', 'KEY_USAGE', false],
    ['leaf-sha1', 'VALID', true, ['SHA1_SIGNATURE']],
  ];
  for (const [name, code, ok, warnings] of cases) {
    it(`${name} → ${code}`, async () => {
      const s = await validateCertificate(fixturePem(name), off());
      expect(s).toMatchObject({ ok, code });
      expect(s.warnings.map((w) => w.code)).toEqual(warnings ?? []);
      expect(s.message).not.toBe(s.messageEn);
    });
  }

  it('chains are leaf → issuing CA → root', async () => {
    const s = await validateCertificate(fixturePem('leaf-civil-servant'), off());
    expect(s.chain).toEqual([fixtureCert('leaf-civil-servant').subject, fixtureCert('ca-gov').subject, fixtureCert('root-gov').subject]);
  });

  it('without anchors nothing is trusted, even with the whole chain at hand', async () => {
    const s = await validateCertificate(fixturePem('leaf-org'), off({ trustAnchors: [], intermediates: [...CAS, ...ANCHORS] }));
    expect(s).toMatchObject({ ok: false, code: 'UNTRUSTED', reason: 'UNTRUSTED_ROOT' });
  });

  it('the untrusted root becomes an anchor with --trust-anchor', async () => {
    expect((await validateCertificate(fixturePem('leaf-untrusted'), off({ intermediates: [...CAS, fixturePem('root-untrusted')] }))).reason).toBe('UNTRUSTED_ROOT');
    expect((await validateCertificate(fixturePem('leaf-untrusted'), off({ trustAnchors: [fixturePem('root-untrusted')] }))).code).toBe('VALID');
  });

  it('an intermediate may be the anchor (private deployments)', async () => {
    const s = await validateCertificate(fixturePem('leaf-org'), off({ trustAnchors: [fixturePem('ca-rsa')] }));
    expect(s).toMatchObject({ ok: true, code: 'VALID' });
    expect(s.chain).toHaveLength(2);
  });

  it('English messages with lang: en', async () => {
    const s = await validateCertificate(fixturePem('leaf-expired'), off({ lang: 'en' }));
    expect(s.message).toBe('The certificate has expired.');
  });
});

describe('dates', () => {
  it('clock skew of 5 minutes is tolerated on both ends', async () => {
    const code = async (name: string, at: string) => (await validateCertificate(fixturePem(name), off({ at: new Date(at) }))).code;
    expect(await code('leaf-not-yet-valid', '2043-12-31T23:56:00Z')).toBe('VALID');
    expect(await code('leaf-not-yet-valid', '2043-12-31T23:50:00Z')).toBe('NOT_YET_VALID');
    expect(await code('leaf-expired', '2021-06-01T00:04:00Z')).toBe('VALID');
    expect(await code('leaf-expired', '2021-06-01T00:06:00Z')).toBe('EXPIRED');
    expect(await code('leaf-org', '2023-12-31T23:50:00Z')).toBe('NOT_YET_VALID');
  });

  it('expiring within 30 days: valid with a warning', async () => {
    const s = await validateCertificate(fixturePem('leaf-org'), off({ at: new Date('2045-12-20T00:00:00Z') }));
    expect(s).toMatchObject({ ok: true, code: 'VALID', warnings: [{ code: 'EXPIRING_SOON', message: 'Chứng thư số sẽ hết hạn sau 11 ngày.' }] });
    expect((await validateCertificate(fixturePem('leaf-org'), off({ at: new Date('2045-11-01T00:00:00Z') }))).warnings).toEqual([]);
  });

  it('an expired intermediate fails the chain', async () => {
    const sub = await mint({ cn: 'Expired Sub CA', issuer: 'root-national', ca: 0, notBefore: '2020-01-01T00:00:00Z', notAfter: '2021-01-01T00:00:00Z',
      signingKey: await issuerKey('root-national', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }) });
    const leaf = await mint({ cn: 'Leaf of expired CA', issuer: { cert: sub.cert, key: sub.keys.privateKey }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams });
    const s = await validateCertificate(leaf.cert, off({ intermediates: [sub.cert] }));
    expect(s).toMatchObject({ ok: false, code: 'EXPIRED', reason: 'CHAIN_EXPIRED' });
  });
});

describe('key usage and purpose', () => {
  it('login proof (auth) needs digitalSignature and clientAuth when an EKU is present', async () => {
    const purpose = async (pem: string | x509.X509Certificate, p: 'sign' | 'auth') => (await validateCertificate(pem, off({ purpose: p }))).code;
    expect(await purpose(fixturePem('leaf-org'), 'auth')).toBe('VALID');
    expect(await purpose(fixturePem('leaf-no-sign-usage'), 'auth')).toBe('KEY_USAGE');
    // digitalSignature but EKU OCSPSigning only: fine for signing, not for login.
    expect(await purpose(fixturePem('ocsp-ca-rsa'), 'sign')).toBe('VALID');
    expect(await purpose(fixturePem('ocsp-ca-rsa'), 'auth')).toBe('KEY_USAGE');
    const noEku = await mint({ cn: 'No EKU', issuer: 'ca-rsa', keyUsage: x509.KeyUsageFlags.digitalSignature });
    expect(await purpose(noEku.cert, 'auth')).toBe('VALID');
    const nrOnly = await mint({ cn: 'NR only', issuer: 'ca-rsa', keyUsage: x509.KeyUsageFlags.nonRepudiation, eku: ['1.3.6.1.5.5.7.3.2'] });
    expect(await purpose(nrOnly.cert, 'sign')).toBe('VALID');
    expect(await purpose(nrOnly.cert, 'auth')).toBe('KEY_USAGE');
  });

  it('a CA certificate without a purpose is checked for certificate signing', async () => {
    expect((await validateCertificate(fixturePem('ca-rsa'), off())).code).toBe('VALID');
    expect((await validateCertificate(fixturePem('ca-rsa'), off({ purpose: 'sign' }))).code).toBe('KEY_USAGE');
  });
});

describe('chain constraints and signatures', () => {
  it('path length: a sub-CA under ca-rsa (pathLen 0) is refused', async () => {
    const sub = await mint({ cn: 'Sub CA below pathLen 0', issuer: 'ca-rsa', ca: null });
    const leaf = await mint({ cn: 'Leaf too deep', issuer: { cert: sub.cert, key: sub.keys.privateKey }, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams });
    const s = await validateCertificate(leaf.cert, off({ intermediates: [...CAS, sub.cert] }));
    expect(s).toMatchObject({ ok: false, code: 'UNTRUSTED', reason: 'PATH_LENGTH' });
    expect(s.message).toContain('Kyso Test VNPT-CA SHA2');
  });

  it('an end-entity certificate cannot act as a CA', async () => {
    const orgKey = await issuerKey('leaf-org', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const leaf = await mint({ cn: 'Issued by a leaf', issuer: { cert: fixtureCert('leaf-org'), key: orgKey } });
    const s = await validateCertificate(leaf.cert, off({ intermediates: [...CAS, fixturePem('leaf-org')] }));
    expect(s).toMatchObject({ ok: false, code: 'UNTRUSTED', reason: 'NOT_A_CA' });
  });

  it('a tampered signature is BAD_SIGNATURE', async () => {
    const der = Buffer.from(fixtureCert('leaf-org').rawData);
    der[der.length - 5] ^= 0x01;
    const s = await validateCertificate(der, off());
    expect(s).toMatchObject({ ok: false, code: 'BAD_SIGNATURE', reason: 'LINK_SIGNATURE' });
  });

  it('RSA-PSS, RSA SHA-512 and ECDSA links verify', async () => {
    const pss = await mint({ cn: 'PSS leaf', issuer: 'ca-rsa', signingKey: await issuerKey('ca-rsa', { name: 'RSA-PSS', hash: 'SHA-256' }),
      signingAlgorithm: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 } as RsaPssParams });
    expect(pss.cert.signatureAlgorithm.name).toBe('RSA-PSS');
    expect((await validateCertificate(pss.cert, off())).code).toBe('VALID');
    const s512 = await mint({ cn: 'SHA-512 leaf', issuer: 'ca-rsa', signingKey: await issuerKey('ca-rsa', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }),
      signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' } as Algorithm });
    expect((await validateCertificate(s512.cert, off())).code).toBe('VALID');
    expect((await validateCertificate(fixturePem('leaf-person'), off())).code).toBe('VALID');
  });

  it('RSA keys under 2048 bits are rejected', async () => {
    const small = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']) as CryptoKeyPair;
    const leaf = await mint({ cn: 'RSA-1024 leaf', issuer: 'ca-rsa', publicKey: small.publicKey });
    const s = await validateCertificate(leaf.cert, off());
    expect(s).toMatchObject({ ok: false, code: 'BAD_SIGNATURE', reason: 'WEAK_KEY' });
    expect(s.message).toContain('1024');
  });

  it('MD5 signatures are rejected (made with node-forge; WebCrypto has no MD5)', async () => {
    const caKey = forge.pki.privateKeyFromPem(fixtureKeyPem('ca-rsa'));
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.certificateFromPem(fixturePem('leaf-org')).publicKey;
    cert.serialNumber = '0a0b0c';
    cert.validity.notBefore = new Date('2024-01-01T00:00:00Z');
    cert.validity.notAfter = new Date('2045-01-01T00:00:00Z');
    cert.setSubject([{ shortName: 'CN', value: 'MD5 leaf' }]);
    cert.setIssuer(forge.pki.certificateFromPem(fixturePem('ca-rsa')).subject.attributes);
    cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
    cert.sign(caKey, forge.md.md5.create());
    const s = await validateCertificate(forge.pki.certificateToPem(cert), off());
    expect(s).toMatchObject({ ok: false, code: 'BAD_SIGNATURE', reason: 'WEAK_ALGORITHM' });
    expect(s.messageEn).toContain('MD5');
  });
});

describe('AIA caIssuers', () => {
  const net = (extra: Partial<ValidateOptions> = {}): ValidateOptions => off({ intermediates: [], network: true, fetch: server.fetch, ...extra });

  it('fetches the missing intermediate over HTTP, then from the cache', async () => {
    const cache = new ValidationCache();
    const s = await validateCertificate(fixturePem('leaf-org'), net({ cache }));
    expect(s).toMatchObject({ ok: true, code: 'VALID' });
    expect(s.chain).toHaveLength(3);
    expect(server.requested).toEqual(['/aia/ca-rsa.cer']);
    await validateCertificate(fixturePem('leaf-revoked'), net({ cache }));
    expect(server.hits.aia).toBe(1);
  });

  it('AIA cached on disk survives a new cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-aia-'));
    try {
      await validateCertificate(fixturePem('leaf-org'), net({ cache: new ValidationCache(dir) }));
      const s = await validateCertificate(fixturePem('leaf-org'), net({ cache: new ValidationCache(dir), network: false }));
      expect(s.code).toBe('VALID');
      expect(server.hits.aia).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unreachable AIA or network off: UNTRUSTED (no issuer)', async () => {
    server.aiaDown = true;
    expect(await validateCertificate(fixturePem('leaf-org'), net())).toMatchObject({ code: 'UNTRUSTED', reason: 'NO_ISSUER' });
    server.aiaDown = false;
    const before = server.hits.aia;
    expect(await validateCertificate(fixturePem('leaf-org'), net({ network: false }))).toMatchObject({ code: 'UNTRUSTED', reason: 'NO_ISSUER' });
    expect(server.hits.aia).toBe(before);
  });
});

describe('local intermediates store', () => {
  it('a directory of CA certificates completes the chain offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-int-'));
    try {
      expect((await validateCertificate(fixturePem('leaf-org'), off({ intermediates: [], intermediatesDir: dir }))).code).toBe('UNTRUSTED');
      writeFileSync(join(dir, 'vnpt.crt'), Buffer.from(fixtureCert('ca-rsa').rawData));
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      const s = await validateCertificate(fixturePem('leaf-org'), off({ intermediates: [], intermediatesDir: dir }));
      expect(s).toMatchObject({ ok: true, code: 'VALID' });
      expect(s.chain).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('imported roots', () => {
  it('a root forced into the roots store is trusted, with a FORCED_ROOT warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-roots-'));
    try {
      expect(() => importRoot(fixtureCert('root-national'), { dir })).toThrow(/matches no official root pin/);
      importRoot(fixtureCert('root-national'), { dir, force: true });
      const s = await validateCertificate(fixturePem('leaf-org'), off({ trustAnchors: [], rootsDir: dir }));
      expect(s).toMatchObject({ ok: true, code: 'VALID', warnings: [{ code: 'FORCED_ROOT' }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('quickStatus', () => {
  it('dates and key usage only, same shape', () => {
    expect(quickStatus(fixturePem('leaf-org'))).toMatchObject({ ok: true, code: 'VALID', chain: [fixtureCert('leaf-org').subject], revocation: { status: 'not-checked' } });
    expect(quickStatus(fixturePem('leaf-expired')).code).toBe('EXPIRED');
    expect(quickStatus(fixturePem('leaf-no-sign-usage'), { purpose: 'sign' }).code).toBe('KEY_USAGE');
    expect(quickStatus(fixturePem('leaf-untrusted')).code).toBe('VALID');
    expect(quickStatus(fixturePem('leaf-expired'), { at: new Date('2021-01-01T00:00:00Z') }).warnings).toEqual([]);
  });
});
