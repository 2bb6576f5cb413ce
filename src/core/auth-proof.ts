// The origin-bound login/registration proof (format "kyso-auth:1"), after Web eID's auth token:
// the key signs SHA-256(origin) ‖ SHA-256(nonce) with its JWS-style algorithm, so a proof made
// for one site is worthless on another. Shared by the daemon (signing) and the verifier.
import { createHash } from 'node:crypto';
import type { SignRequest } from '../pkcs11/mechanism.js';

export const AUTH_FORMAT = 'kyso-auth:1';
export const AUTH_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'ES512'] as const;
export type AuthAlgorithm = (typeof AUTH_ALGORITHMS)[number];

export interface AuthToken {
  format: typeof AUTH_FORMAT;
  /** base64 DER of the signing certificate. */
  certificate: string;
  /** base64 DER of the issuing CAs the token holds (leaf excluded). */
  chain: string[];
  algorithm: AuthAlgorithm;
  /** base64; for ES* raw r‖s. */
  signature: string;
  /** The WebSocket handshake's Origin, never a request parameter. */
  origin: string;
}

/** SHA-256(origin UTF-8) ‖ SHA-256(nonce): 64 bytes, the same on both ends. */
export function authMessage(origin: string, nonce: string): Buffer {
  return Buffer.concat([
    createHash('sha256').update(origin, 'utf8').digest(),
    createHash('sha256').update(nonce, 'utf8').digest(),
  ]);
}

/** The algorithm a key signs the proof with: RS256 for RSA, ES256/384/512 by curve. */
export function authAlgorithmFor(keyType: string, namedCurve?: string): AuthAlgorithm {
  if (keyType === 'rsa') return 'RS256';
  if (keyType === 'rsa-pss') return 'PS256';
  if (namedCurve === 'P-384' || namedCurve === 'secp384r1') return 'ES384';
  if (namedCurve === 'P-521' || namedCurve === 'secp521r1') return 'ES512';
  return 'ES256';
}

export function signRequestFor(alg: AuthAlgorithm, message: Buffer): SignRequest {
  switch (alg) {
    case 'RS256': return { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', data: message };
    case 'PS256': return { algorithm: 'RSA-PSS', hashAlgorithm: 'SHA-256', data: message, saltLength: 32 };
    case 'ES256': return { algorithm: 'ECDSA', hashAlgorithm: 'SHA-256', data: message };
    case 'ES384': return { algorithm: 'ECDSA', hashAlgorithm: 'SHA-384', data: message };
    case 'ES512': return { algorithm: 'ECDSA', hashAlgorithm: 'SHA-512', data: message };
  }
}
