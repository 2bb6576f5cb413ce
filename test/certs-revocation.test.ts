// Revocation against a real OCSP responder and CRL server on loopback (test/support/pki-server).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationCache, validateCertificate, type ValidateOptions } from '../src/certs/index.js';
import { buildOcspRequest, checkOcspResponse } from '../src/certs/index.js';
import { fixtureCert, fixturePem, PkiServer } from './support/pki-server.js';

const server = new PkiServer();
let cacheDir: string;
let cache: ValidationCache;

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
  cacheDir = mkdtempSync(join(tmpdir(), 'kyso-certs-'));
  cache = new ValidationCache(cacheDir);
  return () => rmSync(cacheDir, { recursive: true, force: true });
});

function opts(extra: Partial<ValidateOptions> = {}): ValidateOptions {
  return {
    intermediates: [fixturePem('ca-rsa'), fixturePem('ca-ec'), fixturePem('ca-gov')],
    trustAnchors: [fixturePem('root-national'), fixturePem('root-gov')],
    rootsDir: false, intermediatesDir: false, fetch: server.fetch, cache, timeoutMs: 1_000, ...extra,
  };
}

describe('OCSP', () => {
  it('good answer from the CA-signed responder → VALID, source ocsp', async () => {
    const s = await validateCertificate(fixturePem('leaf-org'), opts());
    expect(s).toMatchObject({ ok: true, code: 'VALID', revocation: { source: 'ocsp', status: 'good' } });
    expect(Date.parse(s.revocation.checkedAt!)).toBeGreaterThan(Date.now() - 10_000);
    expect(server.requested).toEqual(['/ocsp/ca-rsa']);
  });

  it('revoked answer → REVOKED, not ok, with the revocation time', async () => {
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts());
    expect(s).toMatchObject({ ok: false, code: 'REVOKED', revocation: { source: 'ocsp', status: 'revoked', revokedAt: '2025-03-01T00:00:00.000Z', reason: 'keyCompromise' } });
    expect(s.message).toMatch(/thu hồi/);
    expect(s.messageEn).toMatch(/revoked/);
  });

  it('EC chain: responder signs with ECDSA P-384', async () => {
    const s = await validateCertificate(fixturePem('leaf-person'), opts());
    expect(s).toMatchObject({ ok: true, code: 'VALID', revocation: { source: 'ocsp', status: 'good', url: 'http://127.0.0.1:39180/ocsp/ca-ec' } });
  });

  it('delegated responder with id-kp-OCSPSigning issued by the CA is believed', async () => {
    server.ocspMode = 'delegated';
    expect((await validateCertificate(fixturePem('leaf-revoked'), opts())).code).toBe('REVOKED');
    expect((await validateCertificate(fixturePem('leaf-org'), opts())).revocation).toMatchObject({ source: 'ocsp', status: 'good' });
  });

  it('a responder that names the CA by its subject DER (not the leaf issuer field) is understood', async () => {
    server.ocspMode = 'ca-subject-id';
    server.crlMode = 'down';
    expect(await validateCertificate(fixturePem('leaf-revoked'), opts())).toMatchObject({ code: 'REVOKED', revocation: { source: 'ocsp' } });
  });

  it('unknown status → falls back to the CRL', async () => {
    server.ocspMode = 'all-unknown';
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts());
    expect(s).toMatchObject({ code: 'REVOKED', revocation: { source: 'crl', status: 'revoked' } });
    expect(server.requested).toEqual(['/ocsp/ca-rsa', '/crl/ca-rsa.crl']);
  });

  const distrusted: [string, RegExp][] = [
    ['tampered', /bad response signature/],
    ['unauthorized', /lacks id-kp-OCSPSigning/],
    ['stale', /stale/],
    ['wrong-nonce', /nonce mismatch/],
    ['malformed', /unparseable/],
    ['down', /HTTP 503/],
  ];
  for (const [mode, why] of distrusted) {
    it(`${mode} responder, CRL down: prefer → REVOCATION_UNKNOWN but usable; require → refused`, async () => {
      server.ocspMode = mode as PkiServer['ocspMode'];
      server.crlMode = 'down';
      const s = await validateCertificate(fixturePem('leaf-revoked'), opts());
      expect(s).toMatchObject({ ok: true, code: 'REVOCATION_UNKNOWN', revocation: { source: 'none', status: 'unknown' } });
      expect(s.revocation.error).toMatch(why);
      expect(s.warnings.map((w) => w.code)).toContain('REVOCATION_UNKNOWN');
      const r = await validateCertificate(fixturePem('leaf-revoked'), opts({ revocation: 'require', cache: new ValidationCache() }));
      expect(r).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
    });
  }

  it('tampered OCSP but a good CRL: the CRL decides (revoked)', async () => {
    server.ocspMode = 'tampered';
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts());
    expect(s).toMatchObject({ ok: false, code: 'REVOKED', revocation: { source: 'crl' } });
  });

  it('slow responder hits the timeout, then the CRL answers', async () => {
    server.ocspMode = 'slow';
    server.slowMs = 1_500;
    const t0 = Date.now();
    const s = await validateCertificate(fixturePem('leaf-org'), opts({ timeoutMs: 300 }));
    const took = Date.now() - t0;
    expect(s).toMatchObject({ ok: true, code: 'VALID', revocation: { source: 'crl', status: 'good' } });
    expect(took).toBeLessThan(1_400);
  });

  it('slow responder and slow CRL: unknown within the timeouts', async () => {
    server.ocspMode = 'slow';
    server.crlMode = 'slow';
    const t0 = Date.now();
    const s = await validateCertificate(fixturePem('leaf-org'), opts({ timeoutMs: 250 }));
    expect(s.code).toBe('REVOCATION_UNKNOWN');
    expect(s.revocation.error).toMatch(/timeout after 250 ms/);
    expect(Date.now() - t0).toBeLessThan(1_400);
  });

  it('results are cached per certificate', async () => {
    await validateCertificate(fixturePem('leaf-org'), opts());
    const again = await validateCertificate(fixturePem('leaf-org'), opts());
    expect(again.revocation).toMatchObject({ source: 'ocsp', status: 'good', cached: true });
    expect(server.hits.ocsp).toBe(1);
    await validateCertificate(fixturePem('leaf-mst-cccd'), opts());
    expect(server.hits.ocsp).toBe(2);
  });

  it('concurrent validations of one certificate share one OCSP request', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => validateCertificate(fixturePem('leaf-org'), opts())));
    expect(all.map((s) => s.code)).toEqual(['VALID', 'VALID', 'VALID', 'VALID']);
    expect(server.hits.ocsp).toBe(1);
  });

  it('the responder checks the request: an OCSP request for a foreign CA gets unknown', async () => {
    const req = buildOcspRequest(fixtureCert('leaf-untrusted'), fixtureCert('ca-untrusted'), new Uint8Array(16));
    const der = new Uint8Array(server.ocspResponse('ca-rsa', req));
    const a = await checkOcspResponse(der, fixtureCert('leaf-untrusted'), fixtureCert('ca-untrusted'), new Uint8Array(16), { now: new Date(), skewMs: 0 })
      .catch((e: Error) => e.message);
    // Signed by ca-rsa, so not believed for a certificate of another CA.
    expect(a).toMatch(/not signed by the CA/);
  });
});

describe('CRL', () => {
  beforeEach(() => {
    server.ocspMode = 'down';
  });

  it('CRL over HTTP: revoked and good', async () => {
    expect(await validateCertificate(fixturePem('leaf-revoked'), opts())).toMatchObject({ code: 'REVOKED', revocation: { source: 'crl', status: 'revoked', reason: 'keyCompromise' } });
    expect(await validateCertificate(fixturePem('leaf-org'), opts())).toMatchObject({ code: 'VALID', revocation: { source: 'crl', status: 'good' } });
  });

  it('EC CA CRL (ECDSA SHA-384)', async () => {
    expect(await validateCertificate(fixturePem('leaf-person'), opts())).toMatchObject({ code: 'VALID', revocation: { source: 'crl', status: 'good' } });
  });

  it('expired CRL is not used', async () => {
    server.crlMode = 'expired';
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts());
    expect(s).toMatchObject({ ok: true, code: 'REVOCATION_UNKNOWN' });
    expect(s.revocation.error).toMatch(/CRL: expired/);
  });

  it('tampered CRL is not used', async () => {
    server.crlMode = 'tampered';
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts({ revocation: 'require' }));
    expect(s).toMatchObject({ ok: false, code: 'REVOCATION_UNKNOWN' });
    expect(s.revocation.error).toMatch(/CRL: (bad signature|unparseable)/);
  });

  it('CRL is cached on disk until nextUpdate and reused by a new process cache', async () => {
    await validateCertificate(fixturePem('leaf-org'), opts());
    expect(server.hits.crl).toBe(1);
    expect(readdirSync(join(cacheDir, 'crl'))).toHaveLength(1);
    // Another certificate of the same CA, and a fresh in-memory cache over the same directory.
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts({ cache: new ValidationCache(cacheDir) }));
    expect(s.code).toBe('REVOKED');
    expect(server.hits.crl).toBe(1);
    // With the network off, the disk copy still answers.
    const off = await validateCertificate(fixturePem('leaf-mst-cccd'), opts({ cache: new ValidationCache(cacheDir), network: false }));
    expect(off).toMatchObject({ code: 'VALID', revocation: { source: 'crl', status: 'good' } });
  });

  it('revocation off: nothing is fetched', async () => {
    const s = await validateCertificate(fixturePem('leaf-revoked'), opts({ revocation: 'off' }));
    expect(s).toMatchObject({ ok: true, code: 'VALID', revocation: { source: 'none', status: 'not-checked', checkedAt: null } });
    expect(server.requested).toEqual([]);
  });
});
