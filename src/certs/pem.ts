// Certificate input: PEM (one or many) or DER, as files, strings or buffers.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { x509 } from './x509.js';

export type CertInput = x509.X509Certificate | Buffer | Uint8Array | ArrayBuffer | string;

function isPemText(data: string | Uint8Array): boolean {
  const head = typeof data === 'string' ? data : Buffer.from(data.subarray(0, 64)).toString('latin1');
  return head.includes('-----BEGIN');
}

/** Every certificate in a PEM bundle, a DER certificate or a PKCS#7 certs-only blob. */
export function parseCertificates(input: CertInput): x509.X509Certificate[] {
  if (input instanceof x509.X509Certificate) return [input];
  const bytes = typeof input === 'string' ? input : input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if (typeof bytes === 'string' || isPemText(bytes)) {
    const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
    return x509.PemConverter.decodeWithHeaders(text)
      .filter((b) => b.type === 'CERTIFICATE' || b.type === 'PKCS7')
      .flatMap((b) => (b.type === 'CERTIFICATE' ? [new x509.X509Certificate(b.rawData)] : [...new x509.X509Certificates(b.rawData)]));
  }
  const der = new Uint8Array(bytes);
  try {
    return [new x509.X509Certificate(der)];
  } catch {
    return [...new x509.X509Certificates(der)];
  }
}

/** Exactly one certificate (the first one of a bundle). */
export function toCertificate(input: CertInput): x509.X509Certificate {
  const certs = parseCertificates(input);
  if (certs.length === 0) throw new Error('no certificate found');
  return certs[0];
}

export function readCertificateFile(path: string): x509.X509Certificate[] {
  const certs = parseCertificates(readFileSync(path));
  if (certs.length === 0) throw new Error(`no certificate in ${path}`);
  return certs;
}

/** SHA-256 over the DER, upper-case hex without separators. */
export function fingerprint256(cert: x509.X509Certificate): string {
  return createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex').toUpperCase();
}

/** "AB:CD:…" form of a fingerprint, as openssl prints it. */
export function colonHex(hex: string): string {
  return hex.match(/../g)?.join(':') ?? hex;
}

/** Accepts "AB:CD…", "abcd…" or "AB CD …". */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
}

export function isSelfIssued(cert: x509.X509Certificate): boolean {
  return cert.subject === cert.issuer;
}
