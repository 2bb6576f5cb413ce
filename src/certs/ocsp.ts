// OCSP client (RFC 6960): request with a nonce, response checked for signer authority
// (the issuing CA itself, or a delegated responder it issued with id-kp-OCSPSigning),
// signature, matching CertID, nonce and thisUpdate/nextUpdate freshness.
import { createHash, randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, Extension } from '@peculiar/asn1-x509';
import * as ocsp from '@peculiar/asn1-ocsp';
import { verifyCertSignature, verifySignedData } from './algorithms.js';
import { fetchBytes, type FetchLike } from './fetcher.js';
import { x509 } from './x509.js';

const SHA1 = '1.3.14.3.2.26';

export interface OcspAnswer {
  status: 'good' | 'revoked' | 'unknown';
  thisUpdate: Date;
  nextUpdate?: Date;
  revokedAt?: Date;
  reason?: string;
  nonceChecked: boolean;
}

export interface OcspContext {
  fetch?: FetchLike;
  timeoutMs?: number;
  now: Date;
  skewMs: number;
}

export class OcspError extends Error {
  constructor(detail: string) {
    super(`OCSP: ${detail}`);
    this.name = 'OcspError';
  }
}

const sha1 = (b: ArrayBuffer | Uint8Array) => createHash('sha1').update(new Uint8Array(b)).digest();

/**
 * RFC 6960 hashes the issuer field of the certificate being checked. Some issuers encode that
 * field with other string types than their own subject; responders that hash the CA subject
 * answer with that variant (`fromCaSubject`), which is accepted too.
 */
function certId(cert: x509.X509Certificate, issuer: x509.X509Certificate, fromCaSubject = false): ocsp.CertID {
  const leaf = AsnConvert.parse(cert.rawData, Certificate).tbsCertificate;
  const ca = AsnConvert.parse(issuer.rawData, Certificate).tbsCertificate;
  return new ocsp.CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(sha1(AsnConvert.serialize(fromCaSubject ? ca.subject : leaf.issuer))),
    issuerKeyHash: new OctetString(sha1(ca.subjectPublicKeyInfo.subjectPublicKey)),
    serialNumber: leaf.serialNumber,
  });
}

function sameCertId(a: ocsp.CertID, b: ocsp.CertID): boolean {
  const eq = (x: ArrayBuffer | OctetString, y: ArrayBuffer | OctetString) =>
    Buffer.from(x instanceof OctetString ? x.buffer : x).equals(Buffer.from(y instanceof OctetString ? y.buffer : y));
  // Only SHA-1 CertIDs are requested; responders answer in kind.
  return a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm && eq(a.issuerNameHash, b.issuerNameHash)
    && eq(a.issuerKeyHash, b.issuerKeyHash) && eq(a.serialNumber, b.serialNumber);
}

export function buildRequest(cert: x509.X509Certificate, issuer: x509.X509Certificate, nonce: Uint8Array): Uint8Array {
  const req = new ocsp.OCSPRequest({
    tbsRequest: new ocsp.TBSRequest({
      requestList: [new ocsp.Request({ reqCert: certId(cert, issuer) })],
      requestExtensions: [new Extension({
        extnID: ocsp.id_pkix_ocsp_nonce,
        critical: false,
        extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))),
      })],
    }),
  });
  return new Uint8Array(AsnConvert.serialize(req));
}

function responderMatches(id: ocsp.ResponderID, cert: x509.X509Certificate): boolean {
  const tbs = AsnConvert.parse(cert.rawData, Certificate).tbsCertificate;
  if (id.byKey) return sha1(tbs.subjectPublicKeyInfo.subjectPublicKey).equals(Buffer.from(id.byKey.buffer));
  if (id.byName) return Buffer.from(AsnConvert.serialize(id.byName)).equals(Buffer.from(AsnConvert.serialize(tbs.subject)));
  return false;
}

/** The certificate whose key must have signed the response, or an error. */
async function findSigner(basic: ocsp.BasicOCSPResponse, issuer: x509.X509Certificate, now: Date, skewMs: number): Promise<x509.X509Certificate> {
  const rid = basic.tbsResponseData.responderID;
  if (responderMatches(rid, issuer)) return issuer;
  for (const asn of basic.certs ?? []) {
    const c = new x509.X509Certificate(AsnConvert.serialize(asn));
    if (!responderMatches(rid, c)) continue;
    const eku = c.getExtension(x509.ExtendedKeyUsageExtension)?.usages.map(String) ?? [];
    if (!eku.includes(ocsp.id_kp_OCSPSigning)) throw new OcspError('delegated responder lacks id-kp-OCSPSigning');
    if (c.issuer !== issuer.subject || !(await verifyCertSignature(c, issuer))) throw new OcspError('delegated responder not issued by the CA');
    const t = now.getTime();
    if (t + skewMs < c.notBefore.getTime() || t - skewMs > c.notAfter.getTime()) throw new OcspError('delegated responder certificate out of date');
    return c;
  }
  throw new OcspError('response not signed by the CA or a responder it authorised');
}

export function parseResponse(der: Uint8Array): ocsp.BasicOCSPResponse {
  const res = AsnConvert.parse(der, ocsp.OCSPResponse);
  if (res.responseStatus !== ocsp.OCSPResponseStatus.successful) throw new OcspError(`responder status ${ocsp.OCSPResponseStatus[res.responseStatus] ?? res.responseStatus}`);
  if (!res.responseBytes || res.responseBytes.responseType !== ocsp.id_pkix_ocsp_basic) throw new OcspError('not a basic response');
  return AsnConvert.parse(res.responseBytes.response.buffer, ocsp.BasicOCSPResponse);
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', '', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

/** Checks a DER OCSP response for `cert`; throws OcspError when it must not be believed. */
export async function checkResponse(der: Uint8Array, cert: x509.X509Certificate, issuer: x509.X509Certificate, nonce: Uint8Array | undefined, ctx: Pick<OcspContext, 'now' | 'skewMs'>): Promise<OcspAnswer> {
  let basic: ocsp.BasicOCSPResponse;
  try {
    basic = parseResponse(der);
  } catch (e) {
    throw e instanceof OcspError ? e : new OcspError(`unparseable response (${(e as Error).message})`);
  }
  const signer = await findSigner(basic, issuer, ctx.now, ctx.skewMs);
  const tbsRaw = (basic as ocsp.BasicOCSPResponse & { tbsResponseDataRaw?: ArrayBuffer }).tbsResponseDataRaw;
  if (!tbsRaw || !verifySignedData(signer, basic.signatureAlgorithm, tbsRaw, basic.signature)) throw new OcspError('bad response signature');
  const data = basic.tbsResponseData;
  const nonceExt = data.responseExtensions?.find((e) => e.extnID === ocsp.id_pkix_ocsp_nonce);
  if (nonceExt && nonce) {
    const got = Buffer.from(AsnConvert.parse(nonceExt.extnValue.buffer, OctetString).buffer);
    if (!got.equals(Buffer.from(nonce))) throw new OcspError('nonce mismatch (replayed response?)');
  }
  const wanted = [certId(cert, issuer), certId(cert, issuer, true)];
  const single = data.responses.find((r) => wanted.some((w) => sameCertId(r.certID, w)));
  if (!single) throw new OcspError('response is about another certificate');
  const t = ctx.now.getTime();
  if (single.thisUpdate.getTime() > t + ctx.skewMs) throw new OcspError('thisUpdate in the future');
  if (single.nextUpdate && single.nextUpdate.getTime() < t - ctx.skewMs) throw new OcspError('stale response (nextUpdate passed)');
  // Without nextUpdate, only a recent answer (1 day) is believed.
  if (!single.nextUpdate && single.thisUpdate.getTime() < t - 86_400_000) throw new OcspError('stale response');
  const base = { thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate, nonceChecked: Boolean(nonceExt && nonce) };
  const s = single.certStatus;
  if (s.revoked) {
    const reason = s.revoked.revocationReason !== undefined ? REASONS[s.revoked.revocationReason.reason] : undefined;
    return { ...base, status: 'revoked', revokedAt: s.revoked.revocationTime, reason };
  }
  if (s.good !== undefined) return { ...base, status: 'good' };
  return { ...base, status: 'unknown' };
}

/** Asks one responder. Transport problems and unbelievable answers throw. */
export async function queryOcsp(url: string, cert: x509.X509Certificate, issuer: x509.X509Certificate, ctx: OcspContext): Promise<OcspAnswer> {
  const nonce = new Uint8Array(randomBytes(16));
  const der = await fetchBytes(url, {
    fetch: ctx.fetch, timeoutMs: ctx.timeoutMs, method: 'POST', body: buildRequest(cert, issuer, nonce),
    contentType: 'application/ocsp-request', accept: 'application/ocsp-response',
  });
  return checkResponse(der, cert, issuer, nonce, ctx);
}
