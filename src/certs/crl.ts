// CRL check: fetch the distribution point (cached on disk until nextUpdate), verify the
// issuer's signature and freshness, look the serial up.
import type { ValidationCache } from './cache.js';
import { fetchBytes, type FetchLike } from './fetcher.js';
import { x509 } from './x509.js';

export interface CrlAnswer {
  status: 'good' | 'revoked';
  thisUpdate: Date;
  nextUpdate?: Date;
  revokedAt?: Date;
  reason?: string;
  fromCache: boolean;
}

export interface CrlContext {
  cache: ValidationCache;
  fetch?: FetchLike;
  timeoutMs?: number;
  network: boolean;
  now: Date;
  skewMs: number;
}

export class CrlError extends Error {
  constructor(detail: string) {
    super(`CRL: ${detail}`);
    this.name = 'CrlError';
  }
}

export function crlUrls(cert: x509.X509Certificate): string[] {
  const ext = cert.getExtension(x509.CRLDistributionPointsExtension);
  const out: string[] = [];
  for (const dp of ext?.distributionPoints ?? []) {
    for (const n of dp.distributionPoint?.fullName ?? []) {
      if (n.uniformResourceIdentifier) out.push(n.uniformResourceIdentifier);
    }
  }
  return out;
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

/** Parses and checks a CRL against its issuer; throws CrlError if it must not be used. */
export async function verifiedCrl(der: Uint8Array, issuer: x509.X509Certificate, now: Date, skewMs: number): Promise<x509.X509Crl> {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(new Uint8Array(der));
  } catch (e) {
    throw new CrlError(`unparseable (${(e as Error).message})`);
  }
  if (crl.issuer !== issuer.subject) throw new CrlError('issued by another CA');
  let ok = false;
  try {
    // Pass the PublicKey (not the certificate) so the CRL's own signature algorithm is used.
    ok = await crl.verify({ publicKey: issuer.publicKey });
  } catch {
    ok = false;
  }
  if (!ok) throw new CrlError('bad signature');
  const t = now.getTime();
  if (crl.thisUpdate.getTime() > t + skewMs) throw new CrlError('thisUpdate in the future');
  if (crl.nextUpdate && crl.nextUpdate.getTime() < t - skewMs) throw new CrlError(`expired (nextUpdate ${crl.nextUpdate.toISOString()})`);
  return crl;
}

export async function checkCrl(url: string, cert: x509.X509Certificate, issuer: x509.X509Certificate, ctx: CrlContext): Promise<CrlAnswer> {
  let crl: x509.X509Crl | undefined;
  let fromCache = false;
  const cached = ctx.cache.getCrl(url);
  if (cached) {
    try {
      crl = await verifiedCrl(cached, issuer, ctx.now, ctx.skewMs);
      fromCache = true;
    } catch {
      ctx.cache.dropCrl(url);
    }
  }
  if (!crl) {
    if (!ctx.network) throw new CrlError('not cached and network is off');
    const der = await fetchBytes(url, { fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, accept: 'application/pkix-crl' });
    crl = await verifiedCrl(der, issuer, ctx.now, ctx.skewMs);
    ctx.cache.putCrl(url, der);
  }
  const base = { thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, fromCache };
  const entry = crl.findRevoked(cert);
  if (!entry) return { ...base, status: 'good' };
  return { ...base, status: 'revoked', revokedAt: entry.revocationDate, reason: entry.reason !== undefined ? REASONS[entry.reason] : undefined };
}
