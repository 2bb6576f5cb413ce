// Integrity of each SignerInfo of a CMS: messageDigest against the content (hashed in parts, so a
// PDF's byte ranges are never joined), the signature over the signed attributes with the signer
// certificate's key (node:crypto), and the RFC 3161 token on the SignatureValue when present.
import { createPublicKey, verify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { findAttribute, OID } from './cms-attributes.js';
import { digest, hashAlgorithmOfOid, nodeHashName, type HashAlgorithm } from './signer.js';
import { checkToken } from './timestamp.js';

export interface TimestampCheck {
  time?: Date;
  integrity: boolean;
  error?: string;
  /** The TSA certificate (DER), when the token carries it. */
  certificate?: Buffer;
  certificates: Buffer[];
}

export interface CmsSignerCheck {
  integrity: boolean;
  error?: string;
  certificate?: Buffer;
  /** Every certificate the CMS carries (DER), as intermediates for the validator. */
  certificates: Buffer[];
  hashAlgorithm?: HashAlgorithm;
  signingTime?: Date;
  hasSigningCertificateV2: boolean;
  timestamp?: TimestampCheck;
}

const der = (c: pkijs.Certificate): Buffer => Buffer.from(c.toSchema().toBER());

export function parseSignedData(cms: Uint8Array): pkijs.SignedData {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(cms));
  if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('not a CMS SignedData');
  return new pkijs.SignedData({ schema: info.content });
}

function signerCertificate(sd: pkijs.SignedData, si: pkijs.SignerInfo): pkijs.Certificate | undefined {
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    const sid = si.sid;
    return certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  const ski = Buffer.from((si.sid as asn1js.OctetString).valueBlock.valueHexView);
  return certs.find((c) => {
    const ext = c.extensions?.find((e) => e.extnID === '2.5.29.14');
    return ext && Buffer.from((ext.parsedValue as asn1js.OctetString).valueBlock.valueHexView).equals(ski);
  });
}

function publicKeyOf(cert: pkijs.Certificate) {
  return createPublicKey({ key: Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER()), format: 'der', type: 'spki' });
}

async function timestampOf(si: pkijs.SignerInfo): Promise<TimestampCheck | undefined> {
  const token = findAttribute(si.unsignedAttrs, OID.signatureTimeStampToken);
  if (!token) return undefined;
  try {
    const checked = await checkToken(new Uint8Array(token.toBER()), si.signature.valueBlock.valueHexView);
    const certs = (checked.signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
    const tsaCert = signerCertificate(checked.signedData, checked.signedData.signerInfos[0]);
    return { time: checked.genTime, integrity: true, certificate: tsaCert ? der(tsaCert) : undefined, certificates: certs.map(der) };
  } catch (e) {
    return { integrity: false, error: (e as Error).message, certificates: [] };
  }
}

function checkSignedAttributes(si: pkijs.SignerInfo, cert: pkijs.Certificate, h: HashAlgorithm, parts: Uint8Array[]): string | undefined {
  if (!si.signedAttrs) return 'no signed attributes';
  const md = findAttribute(si.signedAttrs, OID.messageDigest) as asn1js.OctetString | undefined;
  if (!md) return 'no messageDigest attribute';
  if (!Buffer.from(md.valueBlock.valueHexView).equals(digest(h, ...parts))) return 'the content does not match the signature (messageDigest differs)';
  const encoded = new Uint8Array(si.signedAttrs.encodedValue.slice(0));
  encoded[0] = 0x31; // signed over as a SET OF, stored as [0] IMPLICIT
  const key = publicKeyOf(cert);
  if (!verify(nodeHashName(h), encoded, key, si.signature.valueBlock.valueHexView)) return 'bad signature value';
  return undefined;
}

/** Checks every signer of a CMS; `content` is the signed data (parts) for a detached CMS. */
export async function checkCms(cms: Uint8Array, content?: Uint8Array[]): Promise<CmsSignerCheck[]> {
  const sd = parseSignedData(cms);
  const eContent = sd.encapContentInfo.eContent;
  const parts = content ?? (eContent ? [new Uint8Array(eContent.getValue())] : undefined);
  const certificates = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate).map(der);
  const out: CmsSignerCheck[] = [];
  for (const si of sd.signerInfos) {
    const h = hashAlgorithmOfOid(si.digestAlgorithm.algorithmId);
    const cert = signerCertificate(sd, si);
    const signingTime = (findAttribute(si.signedAttrs, OID.signingTime) as asn1js.UTCTime | undefined)?.toDate();
    const base: CmsSignerCheck = {
      integrity: false, certificates, hashAlgorithm: h, signingTime, certificate: cert ? der(cert) : undefined,
      hasSigningCertificateV2: Boolean(findAttribute(si.signedAttrs, OID.signingCertificateV2)), timestamp: await timestampOf(si),
    };
    let error: string | undefined;
    if (!h) error = `unknown digest algorithm ${si.digestAlgorithm.algorithmId}`;
    else if (!cert) error = 'the signer certificate is not in the CMS';
    else if (!parts) error = 'detached CMS: the signed content is needed (--content)';
    else {
      try { error = checkSignedAttributes(si, cert, h, parts); } catch (e) { error = (e as Error).message; }
    }
    out.push(error ? { ...base, error } : { ...base, integrity: true });
  }
  return out;
}
