// Checking a signature made with one of the proof's JWS-style algorithms (RS256, PS256, ES256/
// 384/512, ECDSA as raw r‖s): the portal verifier and the vendor JWS endpoint use the same rules.
import { verify, constants, type KeyObject } from 'node:crypto';
import type { AuthAlgorithm } from './auth-proof.js';

const CURVES: Record<string, string[]> = {
  ES256: ['prime256v1', 'P-256'], ES384: ['secp384r1', 'P-384'], ES512: ['secp521r1', 'P-521'],
};

/** Whether the algorithm fits the key (RS/PS need RSA, ES256 P-256, ES384 P-384, ES512 P-521). */
export function algorithmFitsKey(alg: AuthAlgorithm, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  if (alg === 'RS256' || alg === 'PS256') return type === 'rsa';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return type === 'ec' && curve !== undefined && (CURVES[alg] ?? []).includes(curve);
}

export function verifyAuthSignature(alg: AuthAlgorithm, key: KeyObject, message: Buffer, signature: Buffer): boolean {
  try {
    switch (alg) {
      case 'RS256': return verify('sha256', message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'PS256': return verify('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
      case 'ES256':
        return signature.length === 64 && verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'ES384':
        return signature.length === 96 && verify('sha384', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'ES512':
        return signature.length === 132 && verify('sha512', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
      default: return false;
    }
  } catch {
    return false;
  }
}

