// Hash algorithms and the RSA DigestInfo, shared by every credential provider and the schemas.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { HashAlgorithm } from '../types.js';

export const HASH_LENGTH: Record<HashAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
export const NODE_HASH: Record<HashAlgorithm, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
export const HASH_OID: Record<HashAlgorithm, string> = {
  'SHA-1': '1.3.14.3.2.26', 'SHA-256': '2.16.840.1.101.3.4.2.1', 'SHA-384': '2.16.840.1.101.3.4.2.2', 'SHA-512': '2.16.840.1.101.3.4.2.3',
};

export function hostHash(alg: HashAlgorithm, data: Buffer): Buffer {
  return createHash(NODE_HASH[alg]).update(data).digest();
}

const digestInfoPrefix = new Map<HashAlgorithm, Buffer>();

/**
 * DER DigestInfo (RFC 8017 §9.2) — what a raw RSA PKCS#1 v1.5 signature covers. The library
 * encodes it once per hash algorithm; the hash is the fixed-length tail, so later signs only
 * append it (this sits on the hot signing path).
 */
export function digestInfo(alg: HashAlgorithm, hash: Buffer): Buffer {
  let prefix = digestInfoPrefix.get(alg);
  if (!prefix) {
    // Loaded on first RSA sign, not at start: the ASN.1 libraries are large.
    const require = createRequire(import.meta.url);
    const asn1js = require('asn1js') as typeof import('asn1js');
    const pkijs = require('pkijs') as typeof import('pkijs');
    const di = new pkijs.DigestInfo({
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OID[alg], algorithmParams: new asn1js.Null() }),
      digest: new asn1js.OctetString({ valueHex: new Uint8Array(HASH_LENGTH[alg]) }),
    });
    const full = Buffer.from(di.toSchema().toBER(false));
    prefix = full.subarray(0, full.length - HASH_LENGTH[alg]);
    digestInfoPrefix.set(alg, prefix);
  }
  return Buffer.concat([prefix, hash]);
}
