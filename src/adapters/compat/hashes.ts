// Hash names as vendor frames spell them ("SHA256", "Sha256", "sha-1") and by digest length.
import { KysoError } from '../../errors.js';
import { HASH_LENGTH } from '../../crypto/digests.js';
import type { HashAlgorithm } from '../../types.js';

export function hashByName(name: string | undefined, fallback: HashAlgorithm = 'SHA-256'): HashAlgorithm {
  if (!name) return fallback;
  const n = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const found = (Object.keys(HASH_LENGTH) as HashAlgorithm[]).find((h) => h.replace('-', '') === n);
  if (!found) throw new KysoError('INVALID_PARAMS', { field: 'HashAlg' }, `unknown hash algorithm ${name.slice(0, 20)}`);
  return found;
}

/** A digest given without a name: its length says which (20, 32, 48, 64 bytes). */
export function hashByLength(digest: Buffer): HashAlgorithm {
  const found = (Object.keys(HASH_LENGTH) as HashAlgorithm[]).find((h) => HASH_LENGTH[h] === digest.length);
  if (!found) throw new KysoError('INVALID_PARAMS', { field: 'hash' }, `a digest is 20, 32, 48 or 64 bytes, got ${digest.length}`);
  return found;
}

export function checkDigest(hash: HashAlgorithm, digest: Buffer): void {
  if (digest.length !== HASH_LENGTH[hash]) {
    throw new KysoError('INVALID_PARAMS', { field: 'hash' }, `a ${hash} hash is ${HASH_LENGTH[hash]} bytes, got ${digest.length}`);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (whitespace allowed, as Windows software wraps lines); bad input names the field. */
export function fromBase64(text: unknown, field: string, maxBytes: number): Buffer {
  if (typeof text !== 'string') throw new KysoError('INVALID_PARAMS', { field }, `${field}: expected base64 text`);
  const clean = text.replace(/\s+/g, '');
  if (!BASE64.test(clean) || clean.length % 4 === 1) throw new KysoError('INVALID_PARAMS', { field }, `${field}: expected base64`);
  if (clean.length / 4 * 3 > maxBytes + 3) throw new KysoError('DOCUMENT_TOO_LARGE', { maxSize: maxBytes });
  return Buffer.from(clean, 'base64');
}
