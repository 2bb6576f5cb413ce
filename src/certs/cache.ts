// Caches shared by validations in one process, optionally backed by a directory:
// AIA certificates (immutable), CRLs (until nextUpdate, on disk) and per-certificate
// revocation answers (until the answer's nextUpdate, bounded).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { RevocationInfo } from './types.js';

/** Upper bound for caching a "good" answer when the responder gives a far nextUpdate. */
export const MAX_GOOD_TTL_MS = 60 * 60_000;
/** An unreachable responder is retried after this, not at every certificates.list. */
export const UNKNOWN_TTL_MS = 60_000;

function key(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

export class ValidationCache {
  private readonly aia = new Map<string, Uint8Array>();
  private readonly crls = new Map<string, Uint8Array>();
  private readonly revocation = new Map<string, { info: RevocationInfo; expires: number }>();

  constructor(readonly dir?: string) {}

  private file(kind: 'aia' | 'crl', url: string): string | undefined {
    return this.dir ? join(this.dir, kind, `${key(url)}.der`) : undefined;
  }

  private readDisk(kind: 'aia' | 'crl', url: string): Uint8Array | undefined {
    const f = this.file(kind, url);
    if (!f) return undefined;
    try {
      return new Uint8Array(readFileSync(f));
    } catch {
      return undefined;
    }
  }

  private writeDisk(kind: 'aia' | 'crl', url: string, der: Uint8Array): void {
    const f = this.file(kind, url);
    if (!f || !this.dir) return;
    try {
      mkdirSync(join(this.dir, kind), { recursive: true });
      // Write then rename: a concurrent reader never sees half a CRL.
      const tmp = `${f}.${process.pid}.tmp`;
      writeFileSync(tmp, der);
      renameSync(tmp, f);
    } catch {
      // A read-only cache directory only costs refetches.
    }
  }

  getAia(url: string): Uint8Array | undefined {
    return this.aia.get(url) ?? this.readDisk('aia', url);
  }

  putAia(url: string, der: Uint8Array): void {
    this.aia.set(url, der);
    this.writeDisk('aia', url, der);
  }

  /** The stored CRL bytes; the caller decides whether it is still fresh. */
  getCrl(url: string): Uint8Array | undefined {
    const mem = this.crls.get(url);
    if (mem) return mem;
    const disk = this.readDisk('crl', url);
    if (disk) this.crls.set(url, disk);
    return disk;
  }

  putCrl(url: string, der: Uint8Array): void {
    this.crls.set(url, der);
    this.writeDisk('crl', url, der);
  }

  dropCrl(url: string): void {
    this.crls.delete(url);
  }

  getRevocation(certKey: string, now: number): RevocationInfo | undefined {
    const e = this.revocation.get(certKey);
    if (!e) return undefined;
    if (e.expires <= now) {
      this.revocation.delete(certKey);
      return undefined;
    }
    return e.info;
  }

  putRevocation(certKey: string, info: RevocationInfo, expires: number): void {
    this.revocation.set(certKey, { info, expires });
  }

  clear(): void {
    this.aia.clear();
    this.crls.clear();
    this.revocation.clear();
  }
}

const shared = new Map<string, ValidationCache>();

/** One cache per directory per process (the daemon validates the same certificates often). */
export function sharedCache(dir?: string): ValidationCache {
  const k = dir ?? '';
  let c = shared.get(k);
  if (!c) {
    c = new ValidationCache(dir);
    shared.set(k, c);
  }
  return c;
}
