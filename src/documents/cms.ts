// CMS / CAdES signatures with pkijs: detached or attached, B-B (contentType, messageDigest,
// signingCertificateV2, signingTime unless PAdES) and B-T (an RFC 3161 token over the
// SignatureValue as unsigned attribute). The signer gets only the digest of the signed attributes.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { documentError, invalidParams } from './errors.js';
import { OID, signedAttributes, timestampAttribute } from './cms-attributes.js';
import { digest, ecdsaRawToDer, namedCurveOf, signDigestChecked, type DigestSigner, type HashAlgorithm } from './signer.js';
import { requestTimestamp, type Timestamp, type TsaOptions } from './timestamp.js';

export type CmsLevel = 'B' | 'T';

export interface CmsSignOptions {
  signer: DigestSigner;
  hashAlgorithm?: HashAlgorithm;
  level?: CmsLevel;
  /** true (default): the content is not inside the CMS. */
  detached?: boolean;
  /** true (default): the issuing CAs travel with the signer certificate. */
  includeChain?: boolean;
  /** PAdES: no signingTime attribute (ETSI EN 319 142-1). */
  pades?: boolean;
  /** Required for level T. */
  tsa?: TsaOptions;
  /** Signing time for the signingTime attribute (default now). */
  now?: Date;
}

export interface CmsResult {
  /** ContentInfo(SignedData), DER. */
  cms: Buffer;
  signatureValue: Buffer;
  timestamp?: Timestamp;
}

/** pkijs asks its engine to sign; this one hashes the signed attributes and calls the DigestSigner. */
class DigestSignerEngine extends pkijs.CryptoEngine {
  constructor(private readonly signer: DigestSigner, private readonly h: HashAlgorithm) {
    super({ name: 'kyso-digest-signer', crypto: globalThis.crypto });
  }

  override async signWithPrivateKey(data: BufferSource): Promise<ArrayBuffer> {
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
    const sig = await signDigestChecked(this.signer, this.h, digest(this.h, bytes));
    const out = this.signer.keyType === 'ec' ? ecdsaRawToDer(sig, namedCurveOf(this.signer.certificate)) : sig;
    return new Uint8Array(out).buffer;
  }
}

/** The key description pkijs reads to pick the signature algorithm identifier; no key material. */
function keyDescription(signer: DigestSigner, h: HashAlgorithm): CryptoKey {
  const algorithm = signer.keyType === 'ec'
    ? { name: 'ECDSA', namedCurve: namedCurveOf(signer.certificate), hash: { name: h } }
    : { name: 'RSASSA-PKCS1-v1_5', hash: { name: h } };
  return { algorithm, type: 'private', extractable: false, usages: ['sign'] } as unknown as CryptoKey;
}

export function parseCertificate(der: Buffer): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(new Uint8Array(der));
  } catch (e) {
    throw invalidParams(`signer certificate: ${(e as Error).message}`);
  }
}

/**
 * Signs `content` (one buffer, or the parts of a PDF's ByteRange). Attached CMS embeds the
 * content, so it must be a single buffer.
 */
export async function signCms(content: Uint8Array | Uint8Array[], opts: CmsSignOptions): Promise<CmsResult> {
  const h = opts.hashAlgorithm ?? 'SHA-256';
  const level = opts.level ?? 'B';
  const detached = opts.detached ?? true;
  const parts = Array.isArray(content) ? content : [content];
  if (!detached && parts.length !== 1) throw invalidParams('attached CMS needs the content as one buffer');
  if (level === 'T' && !opts.tsa) throw documentError('TSA_UNAVAILABLE', 'level T needs a configured TSA');
  const cert = parseCertificate(opts.signer.certificate);
  const chain = (opts.includeChain ?? true) ? opts.signer.chain.map(parseCertificate) : [];
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    signedAttrs: signedAttributes({
      certificate: cert, certificateDer: opts.signer.certificate, hashAlgorithm: h,
      contentDigest: digest(h, ...parts), signingTime: opts.pades ? undefined : opts.now ?? new Date(),
    }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.data,
      ...(detached ? {} : { eContent: new asn1js.OctetString({ valueHex: parts[0] }) }),
    }),
    signerInfos: [signerInfo],
    certificates: [cert, ...chain],
  });
  await signedData.sign(keyDescription(opts.signer, h), 0, h, undefined, new DigestSignerEngine(opts.signer, h));
  const signatureValue = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
  let timestamp: Timestamp | undefined;
  if (level === 'T') {
    timestamp = await requestTimestamp(signatureValue, opts.tsa!);
    signerInfo.unsignedAttrs = timestampAttribute(timestamp.token);
  }
  const info = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
  return { cms: Buffer.from(info.toSchema().toBER()), signatureValue, timestamp };
}
