// Revocation status of one certificate: OCSP first (fresh, small), then the CRL. The answer
// is cached per (certificate, issuer): good until nextUpdate (≤ 1 h), revoked for a day,
// unknown for a minute so an unreachable responder is not hammered by every list call.
import { ocspUrls } from './aia.js';
import { MAX_GOOD_TTL_MS, UNKNOWN_TTL_MS, type ValidationCache } from './cache.js';
import { checkCrl, crlUrls } from './crl.js';
import type { FetchLike } from './fetcher.js';
import { queryOcsp } from './ocsp.js';
import { fingerprint256 } from './pem.js';
import type { RevocationInfo } from './types.js';
import type { x509 } from './x509.js';

const REVOKED_TTL_MS = 24 * 60 * 60_000;

export interface RevocationContext {
  cache: ValidationCache;
  fetch?: FetchLike;
  timeoutMs?: number;
  network: boolean;
  skewMs: number;
}

export const NOT_CHECKED: RevocationInfo = { source: 'none', status: 'not-checked', checkedAt: null };

function cacheKey(cert: x509.X509Certificate, issuer: x509.X509Certificate): string {
  return `${fingerprint256(cert)}/${fingerprint256(issuer)}`;
}

function expiry(info: RevocationInfo, nextUpdate: Date | undefined, now: number): number {
  if (info.status === 'revoked') return now + REVOKED_TTL_MS;
  if (info.status !== 'good') return now + UNKNOWN_TTL_MS;
  const cap = now + MAX_GOOD_TTL_MS;
  return nextUpdate ? Math.min(nextUpdate.getTime(), cap) : cap;
}

function withUrl(url: string, e: unknown): string {
  const m = (e as Error).message;
  return m.startsWith(url) ? m : `${url}: ${m}`;
}

/** Checks in flight, so concurrent validations of one certificate (a list, then a sign) ask once. */
const inFlight = new WeakMap<ValidationCache, Map<string, Promise<RevocationInfo>>>();

export function checkRevocation(cert: x509.X509Certificate, issuer: x509.X509Certificate, ctx: RevocationContext): Promise<RevocationInfo> {
  const key = cacheKey(cert, issuer);
  let running = inFlight.get(ctx.cache);
  if (!running) inFlight.set(ctx.cache, (running = new Map()));
  const pending = running.get(key);
  if (pending) return pending;
  const p = check(key, cert, issuer, ctx).finally(() => running.delete(key));
  running.set(key, p);
  return p;
}

async function check(key: string, cert: x509.X509Certificate, issuer: x509.X509Certificate, ctx: RevocationContext): Promise<RevocationInfo> {
  const nowMs = Date.now();
  const hit = ctx.cache.getRevocation(key, nowMs);
  if (hit) return { ...hit, cached: true };
  const now = new Date(nowMs);
  const checkedAt = now.toISOString();
  const errors: string[] = [];
  let info: RevocationInfo | undefined;
  let nextUpdate: Date | undefined;

  if (ctx.network) {
    for (const url of ocspUrls(cert)) {
      try {
        const a = await queryOcsp(url, cert, issuer, { fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, now, skewMs: ctx.skewMs });
        if (a.status === 'unknown') {
          errors.push(`${url}: responder does not know the certificate`);
          continue;
        }
        info = { source: 'ocsp', status: a.status, checkedAt, url, revokedAt: a.revokedAt?.toISOString(), reason: a.reason };
        nextUpdate = a.nextUpdate;
        break;
      } catch (e) {
        errors.push(withUrl(url, e));
      }
    }
  }
  if (!info) {
    for (const url of crlUrls(cert)) {
      try {
        const a = await checkCrl(url, cert, issuer, { ...ctx, now });
        info = { source: 'crl', status: a.status, checkedAt, url, revokedAt: a.revokedAt?.toISOString(), reason: a.reason };
        nextUpdate = a.nextUpdate;
        break;
      } catch (e) {
        errors.push(withUrl(url, e));
      }
    }
  }
  if (!info) {
    const none = ocspUrls(cert).length === 0 && crlUrls(cert).length === 0;
    info = { source: 'none', status: 'unknown', checkedAt, error: none ? 'no OCSP or CRL location in the certificate' : errors.join('; ') || 'network off' };
  }
  for (const k of Object.keys(info) as (keyof RevocationInfo)[]) if (info[k] === undefined) delete info[k];
  // Nothing was asked with the network off: do not let that answer outlive the call.
  if (ctx.network || info.status !== 'unknown') ctx.cache.putRevocation(key, info, expiry(info, nextUpdate, nowMs));
  return info;
}
