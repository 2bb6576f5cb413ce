// Certificates as node's native parser reads them, kept by the SHA-256 of their DER: the same
// few CA certificates and each user's own come with every proof, and parsing one costs more
// than the whole signature check. Bounded; the oldest entry goes first.
import { createHash, X509Certificate, type KeyObject } from 'node:crypto';

export interface ParsedCertificate {
  publicKey: KeyObject;
}

const MAX_ENTRIES = 10_000;
const parsed = new Map<string, ParsedCertificate>();

/** The parsed certificate, or undefined when the bytes are not a certificate node can read. */
export function parseCertificate(der: Buffer): ParsedCertificate | undefined {
  const key = createHash('sha256').update(der).digest('base64url');
  const hit = parsed.get(key);
  if (hit) return hit;
  let value: ParsedCertificate;
  try {
    value = { publicKey: new X509Certificate(der).publicKey };
  } catch {
    return undefined;
  }
  parsed.set(key, value);
  if (parsed.size > MAX_ENTRIES) parsed.delete(parsed.keys().next().value!);
  return value;
}
