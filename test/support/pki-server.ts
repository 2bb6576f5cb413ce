// A loopback HTTP server for the test PKI: a real OCSP responder (RFC 6960 responses built
// with @peculiar/asn1-ocsp and signed by the CA or its delegated responder), CRLs signed by
// the CA, and AIA caIssuers. It listens on an ephemeral 127.0.0.1 port, where `fetch` rewrites the
// fixture URLs (port 39180) to it and refuses anything that is not loopback; or on 39180 itself
// for outside verifiers and child processes.
import { createHash, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, CRLReason, Extension } from '@peculiar/asn1-x509';
import * as ocsp from '@peculiar/asn1-ocsp';
import { x509 } from '../../src/certs/x509.js';
import { OUT_DIR } from '../../certs-fixtures/paths.js';
import { PKI_HTTP_BASE } from '../../certs-fixtures/pki-spec.js';

export const fixturePem = (name: string): string => readFileSync(join(OUT_DIR, `${name}.pem`), 'utf8');
export const fixtureCert = (name: string): x509.X509Certificate => new x509.X509Certificate(fixturePem(name));
export const fixtureKeyPem = (name: string): string => readFileSync(join(OUT_DIR, `${name}.key.pem`), 'utf8');

export type OcspMode = 'ok' | 'delegated' | 'tampered' | 'down' | 'slow' | 'stale' | 'wrong-nonce' | 'unauthorized' | 'all-unknown' | 'malformed' | 'ca-subject-id';
export type CrlMode = 'ok' | 'expired' | 'down' | 'tampered' | 'slow';

const SIG_OIDS: Record<string, string> = { 'RSA/SHA-256': '1.2.840.113549.1.1.11', 'EC/SHA-384': '1.2.840.10045.4.3.3' };

function sha1(b: ArrayBuffer | Uint8Array): Buffer {
  return createHash('sha1').update(new Uint8Array(b)).digest();
}

/** Signs `data` with a fixture key the way the CA would (RSA PKCS#1 SHA-256, ECDSA SHA-384). */
function signWith(keyName: string, data: ArrayBuffer): { alg: AlgorithmIdentifier; sig: Buffer } {
  const key = createPrivateKey(fixtureKeyPem(keyName));
  if (key.asymmetricKeyType === 'ec') {
    return { alg: new AlgorithmIdentifier({ algorithm: SIG_OIDS['EC/SHA-384'] }), sig: nodeSign('sha384', new Uint8Array(data), { key, dsaEncoding: 'der' }) };
  }
  return { alg: new AlgorithmIdentifier({ algorithm: SIG_OIDS['RSA/SHA-256'], parameters: null }), sig: nodeSign('sha256', new Uint8Array(data), key) };
}

export interface PkiServerOptions {
  /** Serial numbers (hex, as in pki-spec) the CA has revoked. Default: leaf-revoked under ca-rsa. */
  revoked?: Record<string, string[]>;
}

export class PkiServer {
  ocspMode: OcspMode = 'ok';
  crlMode: CrlMode = 'ok';
  aiaDown = false;
  slowMs = 2_000;
  readonly hits = { ocsp: 0, crl: 0, aia: 0 };
  /** Every URL the fetcher was asked for (after checks), for assertions. */
  readonly requested: string[] = [];
  private server?: Server;
  private readonly revoked: Record<string, string[]>;
  private readonly revokedAt = new Date('2025-03-01T00:00:00Z');

  constructor(opts: PkiServerOptions = {}) {
    this.revoked = opts.revoked ?? { 'ca-rsa': ['5A0005'] };
  }

  get base(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error('PKI server not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  /**
   * Port 0 (default) picks a free one; PKI_HTTP_PORT serves the fixture URLs as written, for
   * outside verifiers and child processes. The suites that use it run one at a time (phase 2 of
   * scripts/test.sh); should one still be closing it, wait up to a minute rather than fail.
   */
  async start(port = 0): Promise<this> {
    for (const end = Date.now() + 60_000; ;) {
      const server = createServer((req, res) => { void this.handle(req, res); });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', resolve);
        });
        this.server = server;
        return this;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0 || Date.now() > end) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  reset(): void {
    this.ocspMode = 'ok';
    this.crlMode = 'ok';
    this.aiaDown = false;
    this.hits.ocsp = this.hits.crl = this.hits.aia = 0;
    this.requested.length = 0;
  }

  /** Fetch for the validator: fixture URLs go to this server; non-loopback hosts are refused. */
  readonly fetch = (url: string, init: RequestInit): Promise<Response> => {
    const u = new URL(url.startsWith(PKI_HTTP_BASE) ? this.base + url.slice(PKI_HTTP_BASE.length) : url);
    if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost' && u.hostname !== '[::1]') {
      return Promise.reject(new Error(`test refused non-loopback URL ${url}`));
    }
    this.requested.push(u.pathname);
    return fetch(u, init);
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = req.url ?? '/';
    try {
      let m: RegExpExecArray | null;
      if ((m = /^\/ocsp\/([\w-]+)/.exec(path))) return await this.ocsp(m[1], req.method === 'GET' ? Buffer.from(decodeURIComponent(path.split('/').slice(3).join('/')), 'base64') : body, res);
      if ((m = /^\/crl\/([\w-]+)\.crl$/.exec(path))) return await this.crl(m[1], res);
      if ((m = /^\/aia\/([\w-]+)\.cer$/.exec(path))) {
        this.hits.aia++;
        if (this.aiaDown) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(Buffer.from(fixtureCert(m[1]).rawData));
      }
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  }

  private async ocsp(caName: string, der: Buffer, res: ServerResponse): Promise<void> {
    this.hits.ocsp++;
    if (this.ocspMode === 'down') return void res.writeHead(503).end();
    if (this.ocspMode === 'slow') await new Promise((r) => setTimeout(r, this.slowMs));
    if (this.ocspMode === 'malformed') return void res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(Buffer.from('not der'));
    const out = Buffer.from(this.ocspResponse(caName, new Uint8Array(der)));
    // Flip a bit inside the signature: the response still parses but must not be believed.
    if (this.ocspMode === 'tampered') out[out.length - 10] ^= 0x01;
    res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(out);
  }

  ocspResponse(caName: string, requestDer: Uint8Array): ArrayBuffer {
    const request = AsnConvert.parse(requestDer, ocsp.OCSPRequest);
    const ca = AsnConvert.parse(fixtureCert(caName).rawData, Certificate).tbsCertificate;
    const caKeyHash = sha1(ca.subjectPublicKeyInfo.subjectPublicKey);
    // Whole seconds: GeneralizedTime with fractions is refused by strict parsers.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const stale = this.ocspMode === 'stale';
    const responses = request.tbsRequest.requestList.map((r) => {
      const id = r.reqCert;
      const serial = Buffer.from(id.serialNumber).toString('hex').toUpperCase().replace(/^0+/, '');
      const ours = Buffer.from(id.issuerKeyHash.buffer).equals(caKeyHash);
      const isRevoked = ours && (this.revoked[caName] ?? []).some((s) => s.replace(/^0+/, '') === serial);
      const certStatus = !ours || this.ocspMode === 'all-unknown'
        ? new ocsp.CertStatus({ unknown: null })
        : isRevoked
          ? new ocsp.CertStatus({ revoked: new ocsp.RevokedInfo({ revocationTime: this.revokedAt, revocationReason: new CRLReason(1) }) })
          : new ocsp.CertStatus({ good: null });
      // Like openssl's responder: the CertID names the CA by the hash of its own subject DER.
      const certID = this.ocspMode === 'ca-subject-id'
        ? new ocsp.CertID({ ...id, issuerNameHash: new OctetString(sha1(AsnConvert.serialize(ca.subject))) })
        : id;
      return new ocsp.SingleResponse({
        certID, certStatus,
        thisUpdate: new Date(stale ? now - 3 * 86_400_000 : now - 60_000),
        nextUpdate: new Date(stale ? now - 2 * 86_400_000 : now + 3_600_000),
      });
    });
    const reqNonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === ocsp.id_pkix_ocsp_nonce);
    const responseExtensions: Extension[] = [];
    if (reqNonce) {
      const value = this.ocspMode === 'wrong-nonce' ? new OctetString(AsnConvert.serialize(new OctetString(new Uint8Array(16)))) : reqNonce.extnValue;
      responseExtensions.push(new Extension({ extnID: ocsp.id_pkix_ocsp_nonce, critical: false, extnValue: value }));
    }
    // Signer: the CA itself; its delegated responder; or (unauthorized) a leaf without OCSPSigning.
    const signerName = this.ocspMode === 'delegated' ? `ocsp-${caName}` : this.ocspMode === 'unauthorized' ? 'leaf-org' : caName;
    const signer = AsnConvert.parse(fixtureCert(signerName).rawData, Certificate);
    const tbs = new ocsp.ResponseData({
      responderID: new ocsp.ResponderID({ byKey: new ocsp.KeyHash(sha1(signer.tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)) }),
      producedAt: new Date(now - 1_000),
      responses,
      responseExtensions: responseExtensions.length ? responseExtensions : undefined,
    });
    const tbsDer = AsnConvert.serialize(tbs);
    const { alg, sig } = signWith(signerName, tbsDer);
    const basic = new ocsp.BasicOCSPResponse({ tbsResponseData: tbs, signatureAlgorithm: alg, signature: new Uint8Array(sig).buffer });
    if (signerName !== caName) basic.certs = [signer];
    return AsnConvert.serialize(new ocsp.OCSPResponse({
      responseStatus: ocsp.OCSPResponseStatus.successful,
      responseBytes: new ocsp.ResponseBytes({ responseType: ocsp.id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
    }));
  }

  private async crl(caName: string, res: ServerResponse): Promise<void> {
    this.hits.crl++;
    if (this.crlMode === 'down') return void res.writeHead(503).end();
    if (this.crlMode === 'slow') await new Promise((r) => setTimeout(r, this.slowMs));
    const out = Buffer.from(await this.makeCrl(caName, this.crlMode === 'expired'));
    if (this.crlMode === 'tampered') out[out.length - 10] ^= 0x01;
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(out);
  }

  async makeCrl(caName: string, expired = false): Promise<ArrayBuffer> {
    const ca = fixtureCert(caName);
    const ec = ca.publicKey.algorithm.name === 'ECDSA';
    const pkcs8 = x509.PemConverter.decodeFirst(fixtureKeyPem(caName));
    const alg = ec ? { name: 'ECDSA', namedCurve: (ca.publicKey.algorithm as EcKeyAlgorithm).namedCurve } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signingKey = await crypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']);
    const now = Date.now();
    const crl = await x509.X509CrlGenerator.create({
      issuer: ca.subjectName,
      thisUpdate: new Date(expired ? now - 10 * 86_400_000 : now - 60_000),
      nextUpdate: new Date(expired ? now - 3 * 86_400_000 : now + 7 * 86_400_000),
      entries: (this.revoked[caName] ?? []).map((serialNumber) => ({ serialNumber, revocationDate: this.revokedAt, reason: x509.X509CrlReason.keyCompromise })),
      signingKey,
      signingAlgorithm: ec ? { name: 'ECDSA', hash: 'SHA-384' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    });
    return crl.rawData;
  }
}

/** For real Vietnamese certificates (public OCSP/CRL/AIA URLs): refuse every fetch. */
export const refuseAllFetch = (url: string): Promise<Response> => Promise.reject(new Error(`test refused network access to ${url}`));
