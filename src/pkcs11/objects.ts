// Certificates and keys on a token. Certificates are public objects (no login needed); private
// keys are paired with them by CKA_ID, falling back to the matching public key for tokens whose
// tools wrote inconsistent ids.
import { createHash, X509Certificate } from 'node:crypto';
import pkcs11js from 'pkcs11js';

export interface TokenObjectCert {
  der: Buffer;
  ckaId: Buffer;
  label: string;
  /**
   * Chain material, not the user's: marked authority (CKA_CERTIFICATE_CATEGORY 2), or a CA
   * certificate with no key pair on the token. A self-signed CA cert with its key is the user's.
   */
  isCa: boolean;
  /**
   * A private key goes with it: a visible private or public key has the same CKA_ID, or — when
   * the token hides private objects until login and shows no key for this id — presumed so
   * (login will tell: KEY_NOT_FOUND).
   */
  hasKeyPair: boolean;
  sha256: string;
  /** 'rsa', 'ec', … (node's asymmetricKeyType of the certificate's key). */
  keyType: string;
}

function findAll(p11: pkcs11js.PKCS11, session: Buffer, template: pkcs11js.Template): Buffer[] {
  p11.C_FindObjectsInit(session, template);
  try {
    const out: Buffer[] = [];
    for (;;) {
      const batch = p11.C_FindObjects(session, 64);
      if (batch.length === 0) return out;
      out.push(...batch);
    }
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

function attr(p11: pkcs11js.PKCS11, session: Buffer, h: Buffer, type: number): Buffer | undefined {
  try {
    const v = p11.C_GetAttributeValue(session, h, [{ type }])[0].value;
    return Buffer.isBuffer(v) ? v : undefined;
  } catch {
    return undefined; // attribute sensitive or absent: treated as not there
  }
}

function idsOf(p11: pkcs11js.PKCS11, session: Buffer, cls: number): Set<string> {
  const ids = new Set<string>();
  for (const h of findAll(p11, session, [{ type: pkcs11js.CKA_CLASS, value: cls }])) {
    const id = attr(p11, session, h, pkcs11js.CKA_ID);
    if (id && id.length > 0) ids.add(id.toString('hex'));
  }
  return ids;
}

export function readCertificates(p11: pkcs11js.PKCS11, session: Buffer, privateHidden = false): TokenObjectCert[] {
  const handles = findAll(p11, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
  ]);
  const keyIds = new Set([...idsOf(p11, session, pkcs11js.CKO_PRIVATE_KEY), ...idsOf(p11, session, pkcs11js.CKO_PUBLIC_KEY)]);
  const certs: TokenObjectCert[] = [];
  for (const h of handles) {
    const der = attr(p11, session, h, pkcs11js.CKA_VALUE);
    if (!der || der.length === 0) continue;
    let basicCa = false;
    let keyType = '';
    try {
      const x = new X509Certificate(der);
      basicCa = x.ca;
      keyType = x.publicKey.asymmetricKeyType ?? '';
    } catch { continue; /* not parseable: not usable either */ }
    const ckaId = attr(p11, session, h, pkcs11js.CKA_ID) ?? Buffer.alloc(0);
    const category = attr(p11, session, h, pkcs11js.CKA_CERTIFICATE_CATEGORY);
    const authority = !!category && category.length > 0 && category.readUIntLE(0, Math.min(category.length, 6)) === 2;
    const visiblePair = ckaId.length > 0 && keyIds.has(ckaId.toString('hex'));
    const hasKeyPair = !authority && (visiblePair || (privateHidden && !basicCa));
    certs.push({
      der, ckaId, keyType, hasKeyPair,
      isCa: authority || (basicCa && !hasKeyPair),
      label: attr(p11, session, h, pkcs11js.CKA_LABEL)?.toString('utf8') ?? '',
      sha256: createHash('sha256').update(der).digest('hex'),
    });
  }
  return certs;
}

/** Finds the private key for a certificate (after login, when keys are private objects). */
export function findPrivateKey(p11: pkcs11js.PKCS11, session: Buffer, cert: TokenObjectCert): Buffer | undefined {
  if (cert.ckaId.length > 0) {
    const [byId] = findAll(p11, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: cert.ckaId },
    ]);
    if (byId) return byId;
  }
  // Fallback: RSA keys expose their modulus; EC keys are matched through their public key object.
  const pub = new X509Certificate(cert.der).publicKey.export({ format: 'jwk' });
  if (pub.kty === 'RSA' && pub.n) {
    const modulus = Buffer.from(pub.n, 'base64url');
    for (const h of findAll(p11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }])) {
      const m = attr(p11, session, h, pkcs11js.CKA_MODULUS);
      if (m && stripZeros(m).equals(stripZeros(modulus))) return h;
    }
    return undefined;
  }
  if (pub.kty === 'EC' && pub.x && pub.y) {
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(pub.x, 'base64url'), Buffer.from(pub.y, 'base64url')]);
    for (const h of findAll(p11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY }])) {
      const ecPoint = attr(p11, session, h, pkcs11js.CKA_EC_POINT);
      const id = attr(p11, session, h, pkcs11js.CKA_ID);
      // CKA_EC_POINT is DER OCTET STRING-wrapped on most tokens, raw on a few: accept both.
      if (ecPoint && id && (ecPoint.equals(point) || ecPoint.subarray(ecPoint.length - point.length).equals(point))) {
        const [priv] = findAll(p11, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: id }]);
        if (priv) return priv;
      }
    }
  }
  return undefined;
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}
