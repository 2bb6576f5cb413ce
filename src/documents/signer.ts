// The seam every document engine signs through. The engine computes the digest; the signer (a
// credential provider behind the core: a PKCS#11 key, a .p12 file) only ever sees that digest.
// Engines never touch PKCS#11. RSA: PKCS#1 v1.5 over DigestInfo(digest), built by the signer.
// EC: raw r‖s as PKCS#11 returns it; engines turn it into DER for CMS/PDF and keep it for XML-DSig.
import { createHash } from 'node:crypto';
import { HASH_LENGTH, HASH_OID, NODE_HASH } from '../crypto/digests.js';
import type { HashAlgorithm } from '../types.js';
import { x509 } from '../certs/x509.js';

export type { HashAlgorithm };

export interface DigestSigner {
  /** Signer certificate, DER. */
  certificate: Buffer;
  /** Issuing CAs, DER, leaf excluded. */
  chain: Buffer[];
  keyType: 'rsa' | 'ec';
  /** Signs a digest the engine computed. RSA: PKCS#1 v1.5 signature over DigestInfo(digest) (the
   *  signer builds DigestInfo). EC: raw r‖s (as PKCS#11 returns). */
  signDigest(hashAlgorithm: HashAlgorithm, digest: Buffer): Promise<Buffer>;
}

/** The project's hash tables (src/crypto/digests.ts), under the names the engines use. */
export const HASH_OIDS = HASH_OID;
export const HASH_LENGTHS = HASH_LENGTH;

export function hashAlgorithmOfOid(oid: string): HashAlgorithm | undefined {
  return (Object.keys(HASH_OID) as HashAlgorithm[]).find((h) => HASH_OID[h] === oid);
}

/** node:crypto name of a hash ('SHA-256' → 'sha256'). */
export const nodeHashName = (h: HashAlgorithm): string => NODE_HASH[h];

export function digest(h: HashAlgorithm, ...parts: (Uint8Array | string)[]): Buffer {
  const hash = createHash(NODE_HASH[h]);
  for (const p of parts) hash.update(p);
  return hash.digest();
}

/** Calls the signer and checks the shape of what came back, so a bad provider fails here, not in a verifier. */
export async function signDigestChecked(signer: DigestSigner, h: HashAlgorithm, d: Buffer): Promise<Buffer> {
  if (d.length !== HASH_LENGTHS[h]) throw new Error(`digest of ${d.length} bytes is not ${h}`);
  const sig = await signer.signDigest(h, d);
  if (!Buffer.isBuffer(sig) || sig.length === 0) throw new Error('the signer returned no signature');
  return sig;
}

/** Curve of an EC signer certificate, for the r‖s → DER conversion. */
export function namedCurveOf(certificate: Buffer): 'P-256' | 'P-384' | 'P-521' {
  const alg = new x509.X509Certificate(new Uint8Array(certificate)).publicKey.algorithm as EcKeyAlgorithm;
  if (alg.namedCurve === 'P-256' || alg.namedCurve === 'P-384' || alg.namedCurve === 'P-521') return alg.namedCurve;
  throw new Error(`unsupported EC curve ${alg.namedCurve}`);
}

/** ECDSA r‖s (PKCS#11, XML-DSig) → DER SEQUENCE{r, s} (CMS, PDF), by the X.509 library's formatter. */
export function ecdsaRawToDer(raw: Buffer, namedCurve: 'P-256' | 'P-384' | 'P-521'): Buffer {
  const der = new x509.AsnEcSignatureFormatter().toAsnSignature({ name: 'ECDSA', namedCurve } as EcKeyAlgorithm, new Uint8Array(raw));
  if (!der) throw new Error('not an ECDSA r‖s signature');
  return Buffer.from(der);
}

/** DER SEQUENCE{r, s} → r‖s, for verifying an XML-DSig ECDSA value or re-checking a CMS one. */
export function ecdsaDerToRaw(der: Buffer, namedCurve: 'P-256' | 'P-384' | 'P-521'): Buffer {
  const raw = new x509.AsnEcSignatureFormatter().toWebSignature({ name: 'ECDSA', namedCurve } as EcKeyAlgorithm, new Uint8Array(der));
  if (!raw) throw new Error('not a DER ECDSA signature');
  return Buffer.from(raw);
}
