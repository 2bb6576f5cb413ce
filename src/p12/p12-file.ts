// Reading a PKCS#12 (.p12/.pfx) file. pkijs reads the structure without a password (certificates
// a file stores in clear); node-forge does the whole password work in one call — MAC check and
// decryption, with both OpenSSL 3 defaults (PBES2: PBKDF2 + AES-256-CBC, HMAC-SHA256 MAC) and
// Windows/legacy exports (pbeWithSHAAnd3-KeyTripleDES-CBC, RC2-40). Keys leave as node KeyObjects.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { KysoError } from '../errors.js';

const OID = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
};

export interface P12Certificate {
  /** DER, byte for byte as stored in the file. */
  der: Buffer;
  /** The PKCS#12 localKeyId attribute (hex) that ties a certificate to its key, when present. */
  localKeyId?: string;
}

/** What a file shows without its password. */
export interface P12PublicView {
  /** True when some content is encrypted (usually the certificates): listing needs the password. */
  encrypted: boolean;
  certificates: P12Certificate[];
  /** localKeyId (hex) of each key bag, '' when a key has none. */
  keyIds: string[];
}

/** What a file shows with its password. Callers drop `keys` as soon as they are done. */
export interface P12Contents {
  certificates: P12Certificate[];
  keys: KeyObject[];
}

/** Reads the structure; no password, no decryption. A file that is not a PFX → DRIVER_ERROR. */
export function readPublicView(der: Buffer, name: string): P12PublicView {
  try {
    const pfx = pkijs.PFX.fromBER(toArrayBuffer(der));
    if (pfx.authSafe.contentType !== pkijs.ContentInfo.DATA) {
      throw new Error('public-key integrity mode is not supported');
    }
    const authSafe = pkijs.AuthenticatedSafe.fromBER(octets(pfx.authSafe.content));
    const view: P12PublicView = { encrypted: false, certificates: [], keyIds: [] };
    for (const info of authSafe.safeContents) {
      if (info.contentType !== pkijs.ContentInfo.DATA) {
        view.encrypted = true;
        continue;
      }
      for (const bag of pkijs.SafeContents.fromBER(octets(info.content)).safeBags) collectPublicBag(bag, view);
    }
    return view;
  } catch (e) {
    throw new KysoError('DRIVER_ERROR', {}, `${name}: not a readable PKCS#12 file: ${(e as Error).message}`);
  }
}

function collectPublicBag(bag: pkijs.SafeBag, view: P12PublicView): void {
  const localKeyId = bagLocalKeyId(bag.bagAttributes);
  if (bag.bagId === OID.certBag) {
    const certBag = bag.bagValue as unknown as pkijs.CertBag;
    if (certBag.certId !== OID.x509Certificate) return;
    const value = certBag.certValue;
    const der = value instanceof pkijs.Certificate ? value.toSchema().toBER(false) : octets(value);
    view.certificates.push({ der: Buffer.from(der), localKeyId });
  } else if (bag.bagId === OID.keyBag || bag.bagId === OID.shroudedKeyBag) {
    view.keyIds.push(localKeyId ?? '');
  }
}

function bagLocalKeyId(attributes: pkijs.Attribute[] | undefined): string | undefined {
  const attr = attributes?.find((a) => a.type === OID.localKeyId);
  const value = attr?.values[0];
  return value ? Buffer.from(octets(value)).toString('hex') : undefined;
}

/**
 * Opens the file with its password. A password the MAC (or, without a MAC, the decryption)
 * refuses → PIN_INCORRECT, so the caller re-asks as for a PIN; anything else → DRIVER_ERROR.
 */
export function decryptP12(der: Buffer, password: string, name: string): P12Contents {
  const asn1 = parseForgeAsn1(der, name);
  const hasMac = (asn1.value as forge.asn1.Asn1[]).length > 2;
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (first) {
    if (/MAC could not be verified/.test(messageOf(first))) throw new KysoError('PIN_INCORRECT', {}, name);
    if (hasMac && /[^\x00-\x7f]/.test(password)) {
      pfx = retryWithUtf8Password(der, password, name);
    } else {
      // Without a MAC nothing tells a wrong password from damage: ask again rather than give up.
      throw hasMac ? driverError(name, first) : new KysoError('PIN_INCORRECT', {}, name);
    }
  }
  return contentsOf(pfx, name);
}

/**
 * forge hands one password string to both key derivations: PKCS#12's (BMPString, right for any
 * text) and PBKDF2's (bytes: right only for ASCII). The MAC (PKCS#12 KDF) has already accepted a
 * non-ASCII password, so the PBES2 decryption runs again with its UTF-8 bytes — what OpenSSL
 * uses — on the same structure without the MAC, which forge would check with those bytes.
 */
function retryWithUtf8Password(der: Buffer, password: string, name: string): forge.pkcs12.Pkcs12Pfx {
  const asn1 = parseForgeAsn1(der, name);
  (asn1.value as forge.asn1.Asn1[]).splice(2);
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, forge.util.encodeUtf8(password));
  } catch (e) {
    throw driverError(name, e);
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function driverError(name: string, e: unknown): KysoError {
  return new KysoError('DRIVER_ERROR', {}, `${name}: ${messageOf(e)}`);
}

function parseForgeAsn1(der: Buffer, name: string): forge.asn1.Asn1 {
  try {
    return forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), { strict: false } as never);
  } catch (e) {
    throw new KysoError('DRIVER_ERROR', {}, `${name}: not a readable PKCS#12 file: ${(e as Error).message}`);
  }
}

/** forge's bags → DER certificates and node KeyObjects (forge itself reads RSA only; node reads all). */
function contentsOf(pfx: forge.pkcs12.Pkcs12Pfx, name: string): P12Contents {
  const contents: P12Contents = { certificates: [], keys: [] };
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      const localKeyId = bag.attributes.localKeyId?.[0] ? Buffer.from(bag.attributes.localKeyId[0], 'binary').toString('hex') : undefined;
      if (bag.type === forge.pki.oids.certBag) {
        const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
        if (asn1) contents.certificates.push({ der: forgeDer(asn1), localKeyId });
      } else if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        contents.keys.push(keyObjectOf(bag, name));
      }
    }
  }
  return contents;
}

function keyObjectOf(bag: forge.pkcs12.Bag, name: string): KeyObject {
  // forge keeps the PrivateKeyInfo it could not read (EC) and reads RSA into its own form.
  const info = bag.key
    ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey))
    : (bag as { asn1?: forge.asn1.Asn1 }).asn1;
  if (!info) throw new KysoError('DRIVER_ERROR', {}, `${name}: empty key bag`);
  const der = forgeDer(info);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw new KysoError('DRIVER_ERROR', {}, `${name}: unsupported private key: ${(e as Error).message}`);
  } finally {
    der.fill(0);
  }
}

function forgeDer(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function octets(value: unknown): ArrayBuffer {
  const v = value as { getValue(): ArrayBuffer };
  return v.getValue();
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}
