// How the daemon makes the proof defined in proof/auth-proof: which algorithm a key uses and
// the digest it signs.
import { hostHash } from '../crypto/digests.js';
import type { AuthAlgorithm } from '../proof/auth-proof.js';
import type { DigestSignRequest } from './credentials.js';

/** The algorithm a key signs the proof with: RS256 for RSA, ES256/384/512 by curve. */
export function authAlgorithmFor(keyType: string, namedCurve?: string): AuthAlgorithm {
  if (keyType === 'rsa') return 'RS256';
  if (keyType === 'rsa-pss') return 'PS256';
  if (namedCurve === 'P-384' || namedCurve === 'secp384r1') return 'ES384';
  if (namedCurve === 'P-521' || namedCurve === 'secp521r1') return 'ES512';
  return 'ES256';
}

export function authSignRequest(alg: AuthAlgorithm, message: Buffer): DigestSignRequest {
  switch (alg) {
    case 'RS256': return { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', digest: hostHash('SHA-256', message) };
    case 'PS256': return { algorithm: 'RSA-PSS', hashAlgorithm: 'SHA-256', digest: hostHash('SHA-256', message), saltLength: 32 };
    case 'ES256': return { algorithm: 'ECDSA', hashAlgorithm: 'SHA-256', digest: hostHash('SHA-256', message) };
    case 'ES384': return { algorithm: 'ECDSA', hashAlgorithm: 'SHA-384', digest: hostHash('SHA-384', message) };
    case 'ES512': return { algorithm: 'ECDSA', hashAlgorithm: 'SHA-512', digest: hostHash('SHA-512', message) };
  }
}
