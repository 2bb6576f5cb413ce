// The origin-bound login/registration proof (format "kyso-auth:1"), after Web eID's auth token:
// the key signs SHA-256(origin) ‖ SHA-256(nonce) with its JWS-style algorithm, so a proof made
// for one site is worthless on another. Imported by both the daemon (core) and the verifier (portal).
import { createHash } from 'node:crypto';

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
