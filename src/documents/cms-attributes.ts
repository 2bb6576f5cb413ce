// CAdES attributes built with pkijs/asn1js objects: contentType, messageDigest, signingTime,
// signingCertificateV2 (RFC 5035, the ESSCertIDv2 of the signer) and the unsigned
// signatureTimeStampToken. Signed attributes are put in DER SET OF order, because verifiers
// (OpenSSL) re-encode them sorted before checking the signature.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { digest, HASH_OIDS, type HashAlgorithm } from './signer.js';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
} as const;

const attribute = (type: string, value: asn1js.AsnType): pkijs.Attribute => new pkijs.Attribute({ type, values: [value] });

/** ESSCertIDv2 of the signer certificate; the hash algorithm is omitted when it is the DEFAULT (SHA-256). */
function signingCertificateV2(cert: pkijs.Certificate, certDer: Buffer, h: HashAlgorithm): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }).toSchema(),
      cert.serialNumber,
    ],
  });
  const essCertId = new asn1js.Sequence({
    value: [
      ...(h === 'SHA-256' ? [] : [new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[h] }).toSchema()]),
      new asn1js.OctetString({ valueHex: new Uint8Array(digest(h, certDer)) }),
      issuerSerial,
    ],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

export interface SignedAttributesInput {
  certificate: pkijs.Certificate;
  certificateDer: Buffer;
  hashAlgorithm: HashAlgorithm;
  contentDigest: Buffer;
  /** CAdES B-B has it; PAdES forbids it (the time is the PDF's /M). */
  signingTime?: Date;
}

export function signedAttributes(input: SignedAttributesInput): pkijs.SignedAndUnsignedAttributes {
  const attrs = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: new Uint8Array(input.contentDigest) })),
    attribute(OID.signingCertificateV2, signingCertificateV2(input.certificate, input.certificateDer, input.hashAlgorithm)),
  ];
  if (input.signingTime) attrs.push(attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: input.signingTime })));
  const der = (a: pkijs.Attribute) => Buffer.from(a.toSchema().toBER());
  attrs.sort((a, b) => Buffer.compare(der(a), der(b)));
  return new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs });
}

export function timestampAttribute(tokenDer: Buffer): pkijs.SignedAndUnsignedAttributes {
  const parsed = asn1js.fromBER(new Uint8Array(tokenDer));
  if (parsed.offset === -1) throw new Error('unparseable time-stamp token');
  return new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attribute(OID.signatureTimeStampToken, parsed.result)] });
}

/** The first value of an attribute, when present. */
export function findAttribute(attrs: pkijs.SignedAndUnsignedAttributes | undefined, type: string): asn1js.AsnType | undefined {
  return attrs?.attributes.find((a) => a.type === type)?.values[0];
}
