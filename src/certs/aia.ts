// AIA caIssuers: fetch a missing issuer over HTTP (DER, PEM or PKCS#7 certs-only), cached.
import type { ValidationCache } from './cache.js';
import { fetchBytes, type FetchLike } from './fetcher.js';
import { parseCertificates } from './pem.js';
import { x509 } from './x509.js';

export interface AiaContext {
  cache: ValidationCache;
  fetch?: FetchLike;
  timeoutMs?: number;
  network: boolean;
}

export function caIssuerUrls(cert: x509.X509Certificate): string[] {
  const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
  return (aia?.caIssuers ?? []).filter((g) => g.type === 'url').map((g) => g.value);
}

export function ocspUrls(cert: x509.X509Certificate): string[] {
  const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
  return (aia?.ocsp ?? []).filter((g) => g.type === 'url').map((g) => g.value);
}

/** Certificates published at an AIA URL; [] when unreachable or unparseable. */
export async function fetchCaIssuers(url: string, ctx: AiaContext): Promise<x509.X509Certificate[]> {
  let der = ctx.cache.getAia(url);
  if (!der) {
    if (!ctx.network) return [];
    try {
      der = await fetchBytes(url, { fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, accept: 'application/pkix-cert, application/pkcs7-mime' });
    } catch {
      return [];
    }
  }
  try {
    const certs = parseCertificates(der);
    if (certs.length) ctx.cache.putAia(url, der);
    return certs;
  } catch {
    return [];
  }
}
