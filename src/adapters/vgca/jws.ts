// SignJson / VerifyJson as JWS compact serialization (RFC 7515): the protected header names the
// algorithm and carries the signer certificate (x5c), so a server verifies with nothing else.
// The digest of the signing input is signed by the core (sign-raw: the user cannot read it).
// Algorithms, digests and checks are the login proof's own (core/auth-proof, proof/verify-signature).
import { X509Certificate } from 'node:crypto';
import { authAlgorithmFor, authSignRequest } from '../../core/auth-proof.js';
import type { DigestSignRequest } from '../../core/credentials.js';
import { KysoError } from '../../errors.js';
import { AUTH_ALGORITHMS, type AuthAlgorithm } from '../../proof/auth-proof.js';
import { algorithmFitsKey, verifyAuthSignature } from '../../proof/verify-signature.js';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export interface JwsPlan { alg: AuthAlgorithm; request: DigestSignRequest; signingInput: string }

export function planJws(certificate: Buffer, payload: string, pss: boolean): JwsPlan {
  const key = new X509Certificate(certificate).publicKey;
  const alg = pss && key.asymmetricKeyType === 'rsa' ? 'PS256' : authAlgorithmFor(key.asymmetricKeyType ?? '', key.asymmetricKeyDetails?.namedCurve);
  const header = b64url(JSON.stringify({ alg, typ: 'JWT', x5c: [certificate.toString('base64')] }));
  const signingInput = `${header}.${b64url(payload)}`;
  return { alg, request: authSignRequest(alg, Buffer.from(signingInput)), signingInput };
}

/** `header.payload.signature`, or `header..signature` with a detached payload (RFC 7515 App. F). */
export function compact(plan: JwsPlan, signature: Buffer, detached: boolean): string {
  const [header, payload] = plan.signingInput.split('.');
  return `${header}.${detached ? '' : payload}.${b64url(signature)}`;
}

export interface VerifiedJws { payload: string; certificate: X509Certificate }

/** Checks the signature with the x5c certificate; the certificate's trust is the caller's matter. */
export function verifyJws(token: string, detachedPayload?: string): VerifiedJws {
  const bad = (why: string) => new KysoError('DOCUMENT_INVALID', {}, `JWS: ${why}`);
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw bad('expected header.payload.signature');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    throw bad('the header is not JSON');
  }
  if (!header || typeof header !== 'object') throw bad('the header is not an object');
  const { alg, x5c } = header as { alg?: unknown; x5c?: unknown };
  if (typeof alg !== 'string' || !(AUTH_ALGORITHMS as readonly string[]).includes(alg)) throw bad(`algorithm ${String(alg).slice(0, 10)} not supported`);
  if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') throw bad('no x5c certificate');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(x5c[0], 'base64'));
  } catch {
    throw bad('x5c is not a certificate');
  }
  const payloadPart = parts[1] || (detachedPayload !== undefined ? b64url(detachedPayload) : undefined);
  if (payloadPart === undefined) throw bad('detached payload not given');
  const a = alg as AuthAlgorithm;
  if (!algorithmFitsKey(a, certificate.publicKey)) throw bad(`${a} does not fit the certificate's key`);
  if (!verifyAuthSignature(a, certificate.publicKey, Buffer.from(`${parts[0]}.${payloadPart}`), Buffer.from(parts[2]!, 'base64url'))) throw bad('the signature does not match');
  return { payload: Buffer.from(payloadPart, 'base64url').toString('utf8'), certificate };
}
