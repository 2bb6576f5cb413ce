// The public view of a token certificate (CertificateJson): what `certs --json`, the WebSocket
// API and the SDK show. Parsing happens once per certificate and is cached by its hash.
import { identityJson, parseIdentity, type Identity } from '../certs/identity.js';
import { formatName } from '../certs/names.js';
import { x509 } from '../certs/x509.js';
import type { Credential } from './credentials.js';
import type { CertificateJson } from '../types.js';

export function keyAlgorithm(cert: x509.X509Certificate): string {
  const alg = cert.publicKey.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
  if (alg.modulusLength) return `RSA-${alg.modulusLength}`;
  if (alg.namedCurve) return `EC-${alg.namedCurve.replace('-', '')}`;
  return alg.name;
}

const cache = new Map<string, Omit<CertificateJson, 'id' | 'tokenId' | 'label' | 'hasPrivateKey'>>();

export function certificateView(c: Credential): CertificateJson {
  let base = cache.get(c.sha256);
  if (!base) {
    const cert = new x509.X509Certificate(new Uint8Array(c.certificate));
    base = {
      certificate: c.certificate.toString('base64'),
      subject: formatName(cert.subjectName),
      issuer: formatName(cert.issuerName),
      serialNumber: cert.serialNumber.toUpperCase(),
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      identity: identityJson(parseIdentity(cert)),
      keyAlgorithm: keyAlgorithm(cert),
    };
    cache.set(c.sha256, base);
  }
  return { id: c.id, tokenId: c.tokenId, label: c.label, ...base, hasPrivateKey: c.hasPrivateKey };
}

/** organization / person / civil-servant, as the identity profile reads the subject. */
export function identityKind(c: Credential): Identity['kind'] {
  return parseIdentity(new x509.X509Certificate(new Uint8Array(c.certificate))).kind;
}
