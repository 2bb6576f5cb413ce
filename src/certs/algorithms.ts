// Algorithm policy and raw signature checks. Certificates are verified by @peculiar/x509;
// OCSP responses (signed DER blobs that library does not model) go through node:crypto with
// the algorithm mapped by x509's AlgorithmProvider, so ECDSA (DER r,s) and RSA-PSS both work.
import { constants, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { x509 } from './x509.js';

const MD5_OIDS = new Set(['1.2.840.113549.1.1.4', '1.2.840.113549.1.1.3', '1.2.840.113549.1.1.2']);
const SHA1_OIDS = new Set(['1.2.840.113549.1.1.5', '1.2.840.10045.4.1', '1.3.14.3.2.29']);
export const MIN_RSA_BITS = 2048;

export type AlgorithmVerdict = { ok: true; sha1: boolean } | { ok: false; reason: 'WEAK_ALGORITHM' | 'WEAK_KEY'; arg: string };

/** The signature algorithm OID as written in the certificate (the library maps unknown ones to it). */
export function signatureOid(cert: x509.X509Certificate): string {
  const alg = cert.signatureAlgorithm as { name: string; hash?: { name: string } };
  if (/^\d+(\.\d+)+$/.test(alg.name)) return alg.name;
  if (alg.hash?.name === 'SHA-1') return alg.name === 'ECDSA' ? '1.2.840.10045.4.1' : '1.2.840.113549.1.1.5';
  return alg.name;
}

function rsaBits(cert: x509.X509Certificate): number | undefined {
  const alg = cert.publicKey.algorithm as { name: string; modulusLength?: number };
  return alg.name.startsWith('RSA') ? alg.modulusLength : undefined;
}

/** MD5/MD2 rejected, RSA < 2048 rejected, SHA-1 accepted but flagged. */
export function algorithmPolicy(cert: x509.X509Certificate): AlgorithmVerdict {
  const oid = signatureOid(cert);
  if (MD5_OIDS.has(oid)) return { ok: false, reason: 'WEAK_ALGORITHM', arg: oid === '1.2.840.113549.1.1.4' ? 'MD5' : 'MD2' };
  const bits = rsaBits(cert);
  if (bits !== undefined && bits < MIN_RSA_BITS) return { ok: false, reason: 'WEAK_KEY', arg: String(bits) };
  return { ok: true, sha1: SHA1_OIDS.has(oid) };
}

/** Does `issuer`'s key verify `cert`'s signature? False on any error (unsupported algorithm included). */
export async function verifyCertSignature(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

const HASHES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** Verifies a signature over `data` made with the key of `signer`, the algorithm given as DER/ASN.1 AlgorithmIdentifier. */
export function verifySignedData(signer: x509.X509Certificate, algorithm: AlgorithmIdentifier, data: ArrayBuffer | Uint8Array, signature: ArrayBuffer | Uint8Array): boolean {
  try {
    const web = new x509.AlgorithmProvider().toWebAlgorithm(AsnConvert.parse(AsnConvert.serialize(algorithm), AlgorithmIdentifier)) as
      { name: string; hash?: { name: string }; saltLength?: number };
    const hash = web.hash && HASHES[web.hash.name];
    if (!hash || MD5_OIDS.has(algorithm.algorithm)) return false;
    const key = createPublicKey({ key: Buffer.from(signer.publicKey.rawData), format: 'der', type: 'spki' });
    const options = web.name === 'RSA-PSS'
      ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: web.saltLength ?? 20 }
      : { key, dsaEncoding: 'der' as const };
    return nodeVerify(hash, new Uint8Array(data), options, new Uint8Array(signature));
  } catch {
    return false;
  }
}
