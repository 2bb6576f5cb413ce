// ECDSA signatures come from PKCS#11 as raw r‖s; CMS and X.509 want DER (SEQUENCE of INTEGER).
import { x509 } from '../certs/x509.js';

export function ecdsaRawToDer(raw: Buffer, namedCurve: 'P-256' | 'P-384' | 'P-521' = raw.length === 64 ? 'P-256' : raw.length === 96 ? 'P-384' : 'P-521'): Buffer {
  const fmt = new x509.AsnEcSignatureFormatter();
  const der = fmt.toAsnSignature({ name: 'ECDSA', namedCurve } as EcKeyAlgorithm, new Uint8Array(raw));
  if (!der) throw new Error('not an ECDSA signature');
  return Buffer.from(der);
}
