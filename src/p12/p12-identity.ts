// Which certificate in a .p12 is the user's and which are the chain. With the keys at hand the
// answer is exact: the certificate whose public key is the private key's. Without them (a file
// that stores its certificates in clear, read before any password) the PKCS#12 localKeyId that
// ties a certificate to its key bag decides, else "not a CA".
import { createHash, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';
import type { P12Certificate, P12PublicView } from './p12-file.js';

export interface P12UserCertificate {
  der: Buffer;
  /** Index of the matching key in the decrypted contents; null when paired without the keys. */
  keyIndex: number | null;
  hasPrivateKey: boolean;
}

export interface P12Identities {
  users: P12UserCertificate[];
  /** DER of every other certificate in the file: the chain material. */
  authorities: Buffer[];
}

export function sha256Hex(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Pairs certificates with decrypted keys by public key. */
export function identitiesFromKeys(certificates: P12Certificate[], keys: KeyObject[]): P12Identities {
  const unique = dedupe(certificates);
  const keySpkis = keys.map((k) => publicKeyBits(createPublicKey(k)));
  const users: P12UserCertificate[] = [];
  for (const cert of unique) {
    const spki = certificateSpki(cert.der);
    const keyIndex = spki ? keySpkis.findIndex((s) => s.equals(spki)) : -1;
    if (keyIndex >= 0) users.push({ der: cert.der, keyIndex, hasPrivateKey: true });
  }
  return split(unique, users);
}

/** Pairs certificates with key bags by localKeyId, before any password. */
export function identitiesFromView(view: P12PublicView): P12Identities {
  const unique = dedupe(view.certificates);
  const keyIds = new Set(view.keyIds.filter((id) => id !== ''));
  let users = unique.filter((c) => c.localKeyId !== undefined && keyIds.has(c.localKeyId));
  if (users.length === 0) users = unique.filter((c) => !isCa(c.der));
  const hasKey = view.keyIds.length > 0;
  return split(unique, users.map((c) => ({ der: c.der, keyIndex: null, hasPrivateKey: hasKey })));
}

function split(all: P12Certificate[], users: P12UserCertificate[]): P12Identities {
  const userDer = new Set(users.map((u) => sha256Hex(u.der)));
  return { users, authorities: all.filter((c) => !userDer.has(sha256Hex(c.der))).map((c) => c.der) };
}

function dedupe(certificates: P12Certificate[]): P12Certificate[] {
  const seen = new Set<string>();
  return certificates.filter((c) => {
    const h = sha256Hex(c.der);
    if (seen.has(h)) return false;
    seen.add(h);
    return true;
  });
}

function certificateSpki(der: Buffer): Buffer | null {
  try {
    return publicKeyBits(new X509Certificate(der).publicKey);
  } catch {
    return null;
  }
}

/**
 * The key itself without its algorithm identifier: an RSA-PSS certificate names id-RSASSA-PSS
 * while its key, read back from the file, says rsaEncryption; the modulus is the same.
 */
function publicKeyBits(key: KeyObject): Buffer {
  const spki = key.export({ type: 'spki', format: 'der' });
  const info = pkijs.PublicKeyInfo.fromBER(spki.buffer.slice(spki.byteOffset, spki.byteOffset + spki.byteLength) as ArrayBuffer);
  return Buffer.from(info.subjectPublicKey.valueBlock.valueHexView);
}

function isCa(der: Buffer): boolean {
  try {
    return new X509Certificate(der).ca;
  } catch {
    return true;
  }
}
