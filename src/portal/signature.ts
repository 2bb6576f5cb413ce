// The proof-of-possession check: the message is rebuilt from the portal's own expected origin
// and a nonce it issued; the client's claims never enter it.
import { createHash, verify, constants, type KeyObject } from 'node:crypto';
import type { AuthAlgorithm } from '../proof/auth-proof.js';

export { authMessage } from '../proof/auth-proof.js';

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

const ORDERS: Record<string, bigint> = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

/**
 * A replay key for a signature. ECDSA signatures are malleable ((r, s) and (r, n−s) both verify),
 * so s is folded to its low form first; RSA signatures are unique for a key and message.
 */
export function signatureReplayKey(alg: AuthAlgorithm, signature: Buffer): string {
  let canonical = signature;
  const n = ORDERS[alg];
  if (n !== undefined && signature.length % 2 === 0) {
    const half = signature.length / 2;
    const s = BigInt('0x' + (signature.subarray(half).toString('hex') || '0'));
    const low = s > n / 2n ? n - s : s;
    canonical = Buffer.concat([signature.subarray(0, half), Buffer.from(low.toString(16).padStart(half * 2, '0'), 'hex')]);
  }
  return createHash('sha256').update(alg).update(canonical).digest('base64url');
}
