// The proof-of-possession check: the message is rebuilt from the portal's own expected origin
// and a nonce it issued; the client's claims never enter it.
import { createHash } from 'node:crypto';
import type { AuthAlgorithm } from '../proof/auth-proof.js';

export { authMessage } from '../proof/auth-proof.js';
export { algorithmFitsKey, verifyAuthSignature } from '../proof/verify-signature.js';

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
