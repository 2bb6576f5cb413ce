// Turns a sign request into a PKCS#11 mechanism and the bytes to feed it. Hashing happens on the
// host where tokens differ (SoftHSM has no CKM_ECDSA_SHA256; many tokens lack PSS-with-hash), and
// the RSA DigestInfo is built here so CKM_RSA_PKCS works on every token.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import pkcs11js from 'pkcs11js';
import { KysoError } from '../errors.js';
import type { HashAlgorithm } from '../types.js';

export type SignAlgorithm = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';

export interface SignRequest {
  algorithm: SignAlgorithm;
  hashAlgorithm: HashAlgorithm;
  /** A digest made by the caller (exactly one of hash / data). */
  hash?: Buffer;
  /** Data to hash (on the token when it can, else on the host). */
  data?: Buffer;
  /** PSS salt length in bytes; default: the hash length. */
  saltLength?: number;
}

export const HASH_LENGTH: Record<HashAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const NODE_HASH: Record<HashAlgorithm, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const HASH_OID: Record<HashAlgorithm, string> = {
  'SHA-1': '1.3.14.3.2.26', 'SHA-256': '2.16.840.1.101.3.4.2.1', 'SHA-384': '2.16.840.1.101.3.4.2.2', 'SHA-512': '2.16.840.1.101.3.4.2.3',
};
const CKM_HASH: Record<HashAlgorithm, number> = {
  'SHA-1': pkcs11js.CKM_SHA_1, 'SHA-256': pkcs11js.CKM_SHA256, 'SHA-384': pkcs11js.CKM_SHA384, 'SHA-512': pkcs11js.CKM_SHA512,
};
const CKG_MGF: Record<HashAlgorithm, number> = {
  'SHA-1': pkcs11js.CKG_MGF1_SHA1, 'SHA-256': pkcs11js.CKG_MGF1_SHA256, 'SHA-384': pkcs11js.CKG_MGF1_SHA384, 'SHA-512': pkcs11js.CKG_MGF1_SHA512,
};
const CKM_RSA_WITH_HASH: Record<HashAlgorithm, number> = {
  'SHA-1': pkcs11js.CKM_SHA1_RSA_PKCS, 'SHA-256': pkcs11js.CKM_SHA256_RSA_PKCS, 'SHA-384': pkcs11js.CKM_SHA384_RSA_PKCS, 'SHA-512': pkcs11js.CKM_SHA512_RSA_PKCS,
};
const CKM_PSS_WITH_HASH: Record<HashAlgorithm, number> = {
  'SHA-1': pkcs11js.CKM_SHA1_RSA_PKCS_PSS, 'SHA-256': pkcs11js.CKM_SHA256_RSA_PKCS_PSS, 'SHA-384': pkcs11js.CKM_SHA384_RSA_PKCS_PSS, 'SHA-512': pkcs11js.CKM_SHA512_RSA_PKCS_PSS,
};

export function hostHash(alg: HashAlgorithm, data: Buffer): Buffer {
  return createHash(NODE_HASH[alg]).update(data).digest();
}

const digestInfoPrefix = new Map<HashAlgorithm, Buffer>();

/**
 * DER DigestInfo (RFC 8017 §9.2) — what CKM_RSA_PKCS signs for a PKCS#1 v1.5 signature. The
 * library encodes it once per hash algorithm; the hash is the fixed-length tail, so later signs
 * only append it (this sits on the hot signing path).
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

export interface PlannedSign {
  mechanism: pkcs11js.Mechanism;
  input: Buffer;
}

const KEY_TYPE_FOR: Record<SignAlgorithm, string[]> = { 'RSASSA-PKCS1-v1_5': ['rsa'], 'RSA-PSS': ['rsa', 'rsa-pss'], ECDSA: ['ec'] };

/** Drivers answer a wrong key type with anything from KEY_TYPE_INCONSISTENT to GENERAL_ERROR: check first. */
export function checkKeyFits(keyType: string, algorithm: SignAlgorithm): void {
  if (!KEY_TYPE_FOR[algorithm]?.includes(keyType)) {
    throw new KysoError('MECHANISM_INVALID', {}, `${algorithm} needs ${KEY_TYPE_FOR[algorithm]?.join('/') ?? '?'} key, certificate has ${keyType || 'unknown'}`);
  }
}

/**
 * Plans the token call. `supported` is the token's mechanism list: when it lacks a combined
 * hash-and-sign mechanism, the host hashes and the raw mechanism signs.
 */
export function planSign(req: SignRequest, supported: ReadonlySet<number>): PlannedSign {
  if ((req.hash === undefined) === (req.data === undefined)) {
    throw new KysoError('INVALID_PARAMS', {}, 'exactly one of hash or data');
  }
  if (req.hash && req.hash.length !== HASH_LENGTH[req.hashAlgorithm]) {
    throw new KysoError('INVALID_PARAMS', {}, `a ${req.hashAlgorithm} hash is ${HASH_LENGTH[req.hashAlgorithm]} bytes, got ${req.hash.length}`);
  }
  const onToken = (m: number) => req.data !== undefined && supported.has(m);
  const digest = () => req.hash ?? hostHash(req.hashAlgorithm, req.data!);
  switch (req.algorithm) {
    case 'RSASSA-PKCS1-v1_5': {
      const m = CKM_RSA_WITH_HASH[req.hashAlgorithm];
      if (onToken(m)) return { mechanism: { mechanism: m }, input: req.data! };
      return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS }, input: digestInfo(req.hashAlgorithm, digest()) };
    }
    case 'RSA-PSS': {
      const parameter: pkcs11js.RsaPSS = {
        type: pkcs11js.CK_PARAMS_RSA_PSS, hashAlg: CKM_HASH[req.hashAlgorithm], mgf: CKG_MGF[req.hashAlgorithm],
        saltLen: req.saltLength ?? HASH_LENGTH[req.hashAlgorithm],
      };
      const m = CKM_PSS_WITH_HASH[req.hashAlgorithm];
      if (onToken(m)) return { mechanism: { mechanism: m, parameter }, input: req.data! };
      return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter }, input: digest() };
    }
    case 'ECDSA':
      return { mechanism: { mechanism: pkcs11js.CKM_ECDSA }, input: digest() };
    default:
      throw new KysoError('MECHANISM_INVALID', {}, `unknown algorithm ${String(req.algorithm)}`);
  }
}
