// Revocation on the server: verifyAuthToken with the policy require | prefer | off against the
// loopback OCSP responder and CRL server (test/support/pki-server), OCSP first, CRL fallback.
import { createPrivateKey, sign, webcrypto } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedCache } from '../src/certs/cache.js';
import { x509 } from '../src/certs/x509.js';
import {
  AuthVerificationError, authMessage, createChallenge, MemoryChallengeStore, VerdictCache, verifyAuthToken, type RevocationMode, type VerifyOptions,
} from '../src/portal/index.js';
import { fixtureCert, fixtureKeyPem, PkiServer } from './support/pki-server.js';
import { ANCHORS, ORIGIN, der64, makeToken } from './support/portal-tokens.js';

const pki = new PkiServer();
const store = new MemoryChallengeStore();

beforeAll(async () => { await pki.start(); });
afterAll(async () => { await pki.stop(); store.close(); });
beforeEach(() => {
  pki.reset();
  sharedCache().clear(); // revocation answers are cached per process; each case asks afresh
});

const opts = (revocation: RevocationMode, extra: Partial<VerifyOptions> = {}): VerifyOptions =>
  ({ expectedOrigin: ORIGIN, sessionId: 's', trustAnchors: ANCHORS, revocation, store, fetch: pki.fetch, ...extra });

async function attempt(leaf: string, revocation: RevocationMode, extra: Partial<VerifyOptions> = {}, token?: (nonce: string) => unknown) {
  const { nonce } = await createChallenge('s', { store });
  try {
    return { ok: true as const, who: await verifyAuthToken(token ? token(nonce) : makeToken(leaf, nonce), opts(revocation, extra)) };
  } catch (e) {
    if (!(e instanceof AuthVerificationError)) throw e;
    return { ok: false as const, err: e, status: e.certificateStatus as { revocation: { status: string; source: string } } };
  }
}

/** A valid leaf under ca-rsa with neither an OCSP nor a CRL address (made here with the CA's key). */
async function leafWithoutRevocationUrls(): Promise<{ der: string; keyPem: string }> {
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const ca = fixtureCert('ca-rsa');
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(fixtureKeyPem('ca-rsa')), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '7a0001', subject: 'C=VN, O=Công ty Không Địa Chỉ Thu Hồi, CN=Công ty Không Địa Chỉ Thu Hồi, 0.9.2342.19200300.100.1.1=MST:0109999999',
    issuer: ca.subject, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 365 * 86_400_000),
    publicKey: keys.publicKey, signingKey: caKey, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { der: Buffer.from(cert.rawData).toString('base64'), keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n` };
}

describe('revocation policy in verifyAuthToken', () => {
  it('good OCSP answer: accepted, the verdict says where it came from', async () => {
    const r = await attempt('leaf-org', 'require');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.who.validation).toMatchObject({ ok: true, code: 'VALID', revocation: { source: 'ocsp', status: 'good' } });
    expect(pki.requested).toEqual(['/ocsp/ca-rsa']);
  });

  for (const policy of ['require', 'prefer'] as const) {
    it(`revoked certificate → REVOKED under ${policy} (OCSP)`, async () => {
      const r = await attempt('leaf-revoked', policy);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.err.code).toBe('REVOKED');
        expect(r.err.source).toBe('certificate');
        expect(r.err.localized()).toBe('Chứng thư số đã bị thu hồi.');
        expect(r.status.revocation).toMatchObject({ source: 'ocsp', status: 'revoked' });
      }
    });
  }

  it('OCSP down: the CRL answers (good, then revoked)', async () => {
    pki.ocspMode = 'down';
    const good = await attempt('leaf-org', 'require');
    expect(good.ok && good.who.validation.revocation).toMatchObject({ source: 'crl', status: 'good' });
    const revoked = await attempt('leaf-revoked', 'require');
    expect(!revoked.ok && revoked.err.code).toBe('REVOKED');
    expect(!revoked.ok && revoked.status.revocation).toMatchObject({ source: 'crl', status: 'revoked' });
    expect(pki.hits.crl).toBeGreaterThan(0);
  });

  it('OCSP and CRL down: require refuses (REVOCATION_UNKNOWN), prefer accepts with a warning', async () => {
    pki.ocspMode = 'down';
    pki.crlMode = 'down';
    const req = await attempt('leaf-org', 'require');
    expect(!req.ok && req.err.code).toBe('REVOCATION_UNKNOWN');
    expect(!req.ok && req.err.localized('en')).toMatch(/revocation status could not be checked/);
    sharedCache().clear();
    const pref = await attempt('leaf-org', 'prefer');
    expect(pref.ok).toBe(true);
    if (pref.ok) {
      expect(pref.who.validation).toMatchObject({ ok: true, code: 'REVOCATION_UNKNOWN', revocation: { status: 'unknown' } });
      expect(pref.who.warnings.map((w) => w.code)).toContain('REVOCATION_UNKNOWN');
    }
  });

  it('off: nothing is asked, even for a revoked certificate', async () => {
    const r = await attempt('leaf-revoked', 'off');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.who.validation.revocation).toMatchObject({ source: 'none', status: 'not-checked' });
    expect(pki.requested).toEqual([]);
  });

  it('a certificate with no OCSP or CRL address: require → REVOCATION_UNKNOWN, prefer → accepted with a warning', async () => {
    const leaf = await leafWithoutRevocationUrls();
    const tokenFor = (nonce: string) => ({
      format: 'kyso-auth:1', certificate: leaf.der, chain: [der64('ca-rsa')], algorithm: 'RS256', origin: ORIGIN,
      signature: sign('sha256', authMessage(ORIGIN, nonce), createPrivateKey(leaf.keyPem)).toString('base64'),
    });
    const req = await attempt('', 'require', {}, tokenFor);
    expect(!req.ok && req.err.code).toBe('REVOCATION_UNKNOWN');
    expect(!req.ok && req.status.revocation).toMatchObject({ status: 'unknown', error: 'no OCSP or CRL location in the certificate' });
    const pref = await attempt('', 'prefer', {}, tokenFor);
    expect(pref.ok).toBe(true);
    if (pref.ok) expect(pref.who.warnings.map((x) => x.code)).toContain('REVOCATION_UNKNOWN');
    expect(pki.requested).toEqual([]);
  });

  it('a verdict cache reuses the chain/revocation result for the same certificate, anchors and policy', async () => {
    const verdictCache = new VerdictCache();
    for (let i = 0; i < 3; i++) expect((await attempt('leaf-org', 'require', { verdictCache })).ok).toBe(true);
    expect(verdictCache.misses).toBe(1);
    expect(verdictCache.hits).toBe(2);
    expect(pki.hits.ocsp).toBe(1);
    // Another policy is another verdict.
    expect((await attempt('leaf-org', 'off', { verdictCache })).ok).toBe(true);
    expect(verdictCache.misses).toBe(2);
    // A revoked verdict is cached too: the same refusal, without asking again.
    for (let i = 0; i < 2; i++) expect((await attempt('leaf-revoked', 'require', { verdictCache })).ok).toBe(false);
    expect(verdictCache.misses).toBe(3);
  });
});
