// SignJson / VerifyJson as JWS compact serialization (RFC 7515): the protected header names the
// algorithm and carries the signer certificate (x5c), so a server verifies with nothing else.
// The digest of the signing input is signed by the core (sign-raw: the user cannot read it).
import { createHash, createPublicKey, verify as verifySig, X509Certificate } from 'node:crypto';
import type { SignAlgorithm } from '../../core/credentials.js';
import { KysoError } from '../../errors.js';
import type { HashAlgorithm } from '../../types.js';

export type JwsAlg = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface JwsPlan { alg: JwsAlg; algorithm: SignAlgorithm; hashAlgorithm: HashAlgorithm; signingInput: string; digest: Buffer }

/** The JWS algorithm a certificate's key gives (EC by its curve; RSA PSS when the page asks). */
export function jwsAlgFor(certificate: Buffer, pss: boolean): { alg: JwsAlg; algorithm: SignAlgorithm; hashAlgorithm: HashAlgorithm } {
  const key = new X509Certificate(certificate).publicKey;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'secp384r1') return { alg: 'ES384', algorithm: 'ECDSA', hashAlgorithm: 'SHA-384' };
    if (curve === 'secp521r1') return { alg: 'ES512', algorithm: 'ECDSA', hashAlgorithm: 'SHA-512' };
    return { alg: 'ES256', algorithm: 'ECDSA', hashAlgorithm: 'SHA-256' };
  }
  return pss ? { alg: 'PS256', algorithm: 'RSA-PSS', hashAlgorithm: 'SHA-256' } : { alg: 'RS256', algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256' };
}

export function planJws(certificate: Buffer, payload: string, pss: boolean): JwsPlan {
  const a = jwsAlgFor(certificate, pss);
  const header = b64url(JSON.stringify({ alg: a.alg, typ: 'JWT', x5c: [certificate.toString('base64')] }));
  const signingInput = `${header}.${b64url(payload)}`;
  const digest = createHash(a.hashAlgorithm.replace('-', '').toLowerCase()).update(signingInput).digest();
  return { ...a, signingInput, digest };
}

/** `header.payload.signature`, or `header..signature` with a detached payload (RFC 7515 App. F). */
export function compact(plan: JwsPlan, signature: Buffer, detached: boolean): string {
  const [header, payload] = plan.signingInput.split('.');
  return `${header}.${detached ? '' : payload}.${b64url(signature)}`;
}

export interface VerifiedJws { payload: string; certificate: X509Certificate }

const HASH_OF: Record<JwsAlg, string> = { RS256: 'sha256', PS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' };

/** Checks the signature with the x5c certificate; the certificate's trust is the caller's matter. */
export function verifyJws(token: string, detachedPayload?: string): VerifiedJws {
  const bad = (why: string) => new KysoError('DOCUMENT_INVALID', {}, `JWS: ${why}`);
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw bad('expected header.payload.signature');
  let header: { alg?: string; x5c?: unknown };
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    throw bad('the header is not JSON');
  }
  const alg = header.alg as JwsAlg;
  if (!(alg in HASH_OF)) throw bad(`algorithm ${String(header.alg).slice(0, 10)} not supported`);
  if (!Array.isArray(header.x5c) || typeof header.x5c[0] !== 'string') throw bad('no x5c certificate');
  const certificate = new X509Certificate(Buffer.from(header.x5c[0], 'base64'));
  const payloadPart = parts[1] || (detachedPayload !== undefined ? b64url(detachedPayload) : undefined);
  if (payloadPart === undefined) throw bad('detached payload not given');
  const key = createPublicKey(certificate.publicKey.export({ format: 'pem', type: 'spki' }));
  const ok = verifySig(HASH_OF[alg], Buffer.from(`${parts[0]}.${payloadPart}`), {
    key, ...(alg === 'PS256' ? { padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 } : {}), ...(alg.startsWith('ES') ? { dsaEncoding: 'ieee-p1363' as const } : {}),
  }, Buffer.from(parts[2]!, 'base64url'));
  if (!ok) throw bad('the signature does not match');
  return { payload: Buffer.from(payloadPart, 'base64url').toString('utf8'), certificate };
}
