// RFC 3161 time-stamp client: a TimeStampReq over HTTP POST to a TSA the daemon was configured
// with (never one a page names), the reply checked (status, nonce, message imprint, the token's own
// signature) before its token is used. Any failure is TSA_UNAVAILABLE: a level T/LT signature is
// never silently downgraded to B.
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { fetchBytes, type FetchLike } from '../certs/fetcher.js';
import type { KysoError } from '../errors.js';
import { documentError } from './errors.js';
import { digest, HASH_OIDS, hashAlgorithmOfOid, type HashAlgorithm } from './signer.js';

export const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';
export const DEFAULT_TSA_TIMEOUT_MS = 15_000;

export interface TsaOptions {
  /** A TSA from the daemon's configuration (`serve --tsa`, config `tsaUrls`). */
  url: string;
  hashAlgorithm?: HashAlgorithm;
  fetch?: FetchLike;
  timeoutMs?: number;
}

export interface Timestamp {
  /** The TimeStampToken: a ContentInfo(SignedData(TSTInfo)), DER. */
  token: Buffer;
  genTime: Date;
  /** TSA certificates the token carries (DER), for B-LT. */
  certificates: Buffer[];
}

function unavailable(url: string, detail: string): KysoError {
  return documentError('TSA_UNAVAILABLE', `${url}: ${detail}`, { tsa: url });
}

function buildRequest(imprint: Buffer, h: HashAlgorithm, nonce: Buffer): Buffer {
  const req = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: HASH_OIDS[h], algorithmParams: new asn1js.Null() }),
      hashedMessage: new asn1js.OctetString({ valueHex: new Uint8Array(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: new Uint8Array(nonce) }),
    certReq: true,
  });
  return Buffer.from(req.toSchema().toBER());
}

/** Parses a TimeStampToken (ContentInfo) into its SignedData and TSTInfo. */
export function parseToken(der: Uint8Array): { signedData: pkijs.SignedData; tstInfo: pkijs.TSTInfo } {
  const info = pkijs.ContentInfo.fromBER(new Uint8Array(der));
  if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) throw new Error('time-stamp token is not SignedData');
  const signedData = new pkijs.SignedData({ schema: info.content });
  if (signedData.encapContentInfo.eContentType !== TST_INFO_OID || !signedData.encapContentInfo.eContent) throw new Error('time-stamp token carries no TSTInfo');
  const tstInfo = pkijs.TSTInfo.fromBER(signedData.encapContentInfo.eContent.getValue());
  return { signedData, tstInfo };
}

/** Checks a token against the data it stamps: imprint and the TSA's signature (trust is the validator's job). */
export async function checkToken(der: Uint8Array, stamped: Uint8Array): Promise<{ genTime: Date; signedData: pkijs.SignedData; tstInfo: pkijs.TSTInfo }> {
  const { signedData, tstInfo } = parseToken(der);
  const h = hashAlgorithmOfOid(tstInfo.messageImprint.hashAlgorithm.algorithmId);
  if (!h) throw new Error(`unknown imprint hash ${tstInfo.messageImprint.hashAlgorithm.algorithmId}`);
  const imprint = Buffer.from(tstInfo.messageImprint.hashedMessage.valueBlock.valueHexView);
  if (!imprint.equals(digest(h, stamped))) throw new Error('message imprint does not match');
  const ok = await signedData.verify({ signer: 0, data: new Uint8Array(stamped).buffer, checkChain: false });
  if (!ok) throw new Error('bad TSA signature');
  return { genTime: tstInfo.genTime, signedData, tstInfo };
}

const STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];

/** Asks the TSA to stamp `data` (for CAdES: the SignatureValue). */
export async function requestTimestamp(data: Uint8Array, opts: TsaOptions): Promise<Timestamp> {
  const h = opts.hashAlgorithm ?? 'SHA-256';
  const nonce = randomBytes(8);
  nonce[0] = (nonce[0] & 0x7f) | 0x40; // a positive INTEGER, no leading zero byte
  let reply: Uint8Array;
  try {
    reply = await fetchBytes(opts.url, {
      method: 'POST', body: buildRequest(digest(h, data), h, nonce), contentType: 'application/timestamp-query',
      accept: 'application/timestamp-reply', fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? DEFAULT_TSA_TIMEOUT_MS,
    });
  } catch (e) {
    throw unavailable(opts.url, (e as Error).message);
  }
  try {
    const resp = pkijs.TimeStampResp.fromBER(new Uint8Array(reply));
    const status = resp.status.status;
    if (status !== 0 && status !== 1) throw new Error(`TSA answered ${STATUS[status] ?? status}${resp.status.statusStrings?.length ? ` (${resp.status.statusStrings.map((s) => s.valueBlock.value).join('; ')})` : ''}`);
    if (!resp.timeStampToken) throw new Error('reply has no token');
    const token = Buffer.from(resp.timeStampToken.toSchema().toBER());
    const checked = await checkToken(token, data);
    const gotNonce = checked.tstInfo.nonce ? Buffer.from(checked.tstInfo.nonce.valueBlock.valueHexView) : undefined;
    if (!gotNonce || !gotNonce.equals(nonce)) throw new Error('nonce mismatch');
    const certificates = (checked.signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => Buffer.from(c.toSchema().toBER()));
    return { token, genTime: checked.genTime, certificates };
  } catch (e) {
    throw unavailable(opts.url, (e as Error).message);
  }
}
