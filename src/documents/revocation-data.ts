// Revocation data for B-LT: an OCSP response (else a CRL) for every non-root certificate of the
// signer's chain, fetched with the bridge's own OCSP/CRL code and checked before it is embedded.
// Anything missing is REVOCATION_UNAVAILABLE naming the certificate; a revoked one refuses to sign.
import { randomBytes } from 'node:crypto';
import { ocspUrls } from '../certs/aia.js';
import { verifyCertSignature } from '../certs/algorithms.js';
import { DEFAULT_CLOCK_SKEW_MS } from '../certs/checks.js';
import { crlUrls, verifiedCrl } from '../certs/crl.js';
import { fetchBytes, type FetchLike } from '../certs/fetcher.js';
import { buildRequest, checkResponse } from '../certs/ocsp.js';
import { x509 } from '../certs/x509.js';
import { documentError, isDocumentError } from './errors.js';
import type { DigestSigner } from './signer.js';

export interface RevocationFetchOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
}

export interface CertRevocation {
  certificate: Buffer;
  ocsp?: Buffer;
  crl?: Buffer;
}

export interface RevocationData {
  /** Signer, then its CAs (DER). */
  certificates: Buffer[];
  /** One entry per non-root certificate. */
  entries: CertRevocation[];
}

const isSelfIssued = (c: x509.X509Certificate): boolean => c.subject === c.issuer;

async function issuerOf(cert: x509.X509Certificate, pool: x509.X509Certificate[]): Promise<x509.X509Certificate | undefined> {
  for (const c of pool) if (c.subject === cert.issuer && (await verifyCertSignature(cert, c))) return c;
  return undefined;
}

async function ocspFor(cert: x509.X509Certificate, issuer: x509.X509Certificate, opts: RevocationFetchOptions, errors: string[]): Promise<Buffer | undefined> {
  for (const url of ocspUrls(cert)) {
    try {
      const nonce = new Uint8Array(randomBytes(16));
      const der = await fetchBytes(url, { fetch: opts.fetch, timeoutMs: opts.timeoutMs, method: 'POST', body: buildRequest(cert, issuer, nonce), contentType: 'application/ocsp-request', accept: 'application/ocsp-response' });
      const answer = await checkResponse(der, cert, issuer, nonce, { now: new Date(), skewMs: DEFAULT_CLOCK_SKEW_MS });
      if (answer.status === 'revoked') throw documentError('CERTIFICATE_INVALID', `${cert.subject} is revoked (OCSP ${url})`, { certificate: cert.subject });
      if (answer.status === 'good') return Buffer.from(der);
      errors.push(`${url}: responder does not know the certificate`);
    } catch (e) {
      if (isDocumentError(e)) throw e;
      errors.push(`${url}: ${(e as Error).message}`);
    }
  }
  return undefined;
}

async function crlFor(cert: x509.X509Certificate, issuer: x509.X509Certificate, opts: RevocationFetchOptions, errors: string[]): Promise<Buffer | undefined> {
  for (const url of crlUrls(cert)) {
    try {
      const der = await fetchBytes(url, { fetch: opts.fetch, timeoutMs: opts.timeoutMs, accept: 'application/pkix-crl' });
      const crl = await verifiedCrl(der, issuer, new Date(), DEFAULT_CLOCK_SKEW_MS);
      if (crl.findRevoked(cert)) throw documentError('CERTIFICATE_INVALID', `${cert.subject} is revoked (CRL ${url})`, { certificate: cert.subject });
      return Buffer.from(der);
    } catch (e) {
      if (isDocumentError(e)) throw e;
      errors.push(`${url}: ${(e as Error).message}`);
    }
  }
  return undefined;
}

export async function collectRevocationData(signer: DigestSigner, opts: RevocationFetchOptions): Promise<RevocationData> {
  const ders = [signer.certificate, ...signer.chain];
  const certs = ders.map((d) => new x509.X509Certificate(new Uint8Array(d)));
  const entries: CertRevocation[] = [];
  for (let i = 0; i < certs.length; i++) {
    const cert = certs[i];
    if (isSelfIssued(cert)) continue;
    const issuer = await issuerOf(cert, certs);
    const unavailable = (why: string) => documentError('REVOCATION_UNAVAILABLE', `${cert.subject}: ${why}`, { certificate: cert.subject });
    if (!issuer) throw unavailable('its issuer is not in the chain');
    const errors: string[] = [];
    const ocsp = await ocspFor(cert, issuer, opts, errors);
    const crl = ocsp ? undefined : await crlFor(cert, issuer, opts, errors);
    if (!ocsp && !crl) throw unavailable(errors.join('; ') || 'no OCSP or CRL location in the certificate');
    entries.push({ certificate: ders[i], ocsp, crl });
  }
  return { certificates: ders, entries };
}
