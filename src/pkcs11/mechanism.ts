// Turns a sign request into a PKCS#11 mechanism and the bytes to feed it. Hashing happens on the
// host where tokens differ (SoftHSM has no CKM_ECDSA_SHA256; many tokens lack PSS-with-hash), and
// the RSA DigestInfo is built here so CKM_RSA_PKCS works on every token.
import pkcs11js from 'pkcs11js';
import { KysoError } from '../errors.js';
import type { HashAlgorithm } from '../types.js';
import type { SignAlgorithm } from '../types.js';
import { HASH_LENGTH, digestInfo, hostHash } from '../crypto/digests.js';
export type { SignAlgorithm };


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

export interface PlannedSign {
  mechanism: pkcs11js.Mechanism;
  input: Buffer;
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
