// The "kyso-auth:1" proof the bridge returns from auth.sign, checked for shape only:
// nothing in it is trusted until the signature and the certificate are verified.

import { AUTH_ALGORITHMS, AUTH_FORMAT, type AuthToken } from '../proof/auth-proof.js';

// One definition of the format, shared with the daemon that makes the proofs.
export { AUTH_ALGORITHMS, AUTH_FORMAT, type AuthAlgorithm, type AuthToken } from '../proof/auth-proof.js';

const B64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_DER = 64 * 1024;
const MAX_CHAIN = 8;

export function isBase64(s: unknown, maxLen = MAX_DER * 2): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= maxLen && s.length % 4 === 0 && B64.test(s);
}

/** Returns the reason the value is not a well-formed token, or null. Accepts a JSON string too. */
export function formatProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const t = value as Record<string, unknown>;
  if (t.format !== AUTH_FORMAT) return `format must be "${AUTH_FORMAT}"`;
  if (!isBase64(t.certificate)) return 'certificate must be base64 DER';
  if (!Array.isArray(t.chain) || t.chain.length > MAX_CHAIN || !t.chain.every((c) => isBase64(c))) return 'chain must be an array of base64 DER';
  if (typeof t.algorithm !== 'string' || !(AUTH_ALGORITHMS as readonly string[]).includes(t.algorithm)) return 'unsupported algorithm';
  if (!isBase64(t.signature, 2048)) return 'signature must be base64';
  if (typeof t.origin !== 'string' || t.origin.length === 0 || t.origin.length > 2048) return 'origin missing';
  return null;
}

export function parseAuthToken(value: unknown): AuthToken | string {
  let v = value;
  if (typeof v === 'string') {
    try { v = JSON.parse(v); } catch { return 'not JSON'; }
  }
  return formatProblem(v) ?? (v as AuthToken);
}

/** Canonical form of an origin ("HTTPS://Portal.gov.vn:443" → "https://portal.gov.vn"); null when not one. */
export function normalizeOrigin(origin: string): string | null {
  try {
    const u = new URL(origin);
    if (u.origin === 'null' || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
    return u.origin;
  } catch {
    return null;
  }
}
