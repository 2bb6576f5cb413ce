// Certificate verdicts (chain, policy, revocation) reused for a short while, as the daemon does:
// keyed by the certificate and chain presented, the trust anchors and the revocation policy,
// kept at most 60 s so a revocation or an expiry is seen within a minute. Bounded in size.
import { createHash } from 'node:crypto';
import type { CertificateStatus } from '../certs/types.js';
import type { VerifiedIdentity } from './identity.js';

export const MAX_VERDICT_TTL_MS = 60_000;

export interface CachedVerdict {
  verdict: CertificateStatus;
  identity: VerifiedIdentity;
}

export class VerdictCache {
  private readonly entries = new Map<string, { value: CachedVerdict; until: number }>();
  private readonly pending = new Map<string, Promise<CachedVerdict>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(opts: { ttlMs?: number; maxEntries?: number } = {}) {
    this.ttlMs = Math.min(Math.max(0, opts.ttlMs ?? MAX_VERDICT_TTL_MS), MAX_VERDICT_TTL_MS);
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  get(key: string, now = Date.now()): CachedVerdict | undefined {
    const e = this.entries.get(key);
    if (!e || e.until <= now) {
      if (e) this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return e.value;
  }

  set(key: string, value: CachedVerdict, now = Date.now()): void {
    if (this.ttlMs === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, until: now + this.ttlMs });
    // Map order is insertion order: the first entry is the oldest.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The cached verdict, or the one being computed for the same key, or a new computation. */
  async resolve(key: string, compute: () => Promise<CachedVerdict>): Promise<CachedVerdict> {
    const hit = this.get(key);
    if (hit) return hit;
    // A burst of logins with one certificate validates it once, not once per request.
    let running = this.pending.get(key);
    if (!running) {
      running = compute().then((v) => { this.set(key, v); return v; }).finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

const anchorKeys = new WeakMap<object, string>();

/** A digest of a trust-anchor list, computed once per list object. */
export function anchorsKey(anchors: readonly (string | Uint8Array)[]): string {
  const hit = anchorKeys.get(anchors);
  if (hit) return hit;
  const h = createHash('sha256');
  for (const a of anchors) h.update(typeof a === 'string' ? Buffer.from(a, 'utf8') : a).update('\0');
  const key = h.digest('base64url');
  anchorKeys.set(anchors, key);
  return key;
}

/** The cache key of one validation: certificate and chain as presented, anchors, policy. */
export function verdictKey(leaf: Buffer, chain: Buffer[], anchors: string, policy: string): string {
  const h = createHash('sha256').update(leaf);
  for (const c of chain) h.update('\0').update(c);
  return `${h.digest('base64url')}/${anchors}/${policy}`;
}
