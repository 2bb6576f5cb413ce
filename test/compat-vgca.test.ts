// VGCA Sign Service compatibility over real wss sockets (port 0 via --compat-port): each endpoint
// the way vgcaplugin.js calls it, signatures checked with node:crypto, openssl cms and xmlsec1,
// the server-mediated PDF calls against a loopback https portal, and the refusals.
import { createServer, get as httpsGet, type Server } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify as verifySig } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTlsMaterial } from '../src/transport/tls.js';
import { verifyDocument } from '../src/documents/index.js';
import { startTestDaemon, type TestDaemon } from './support/daemon.js';
import { Workdir } from './support/document-tools.js';
import { freshSoftHsm } from './support/softhsm.js';
import { samplePdf } from './support/pdf-samples.js';
import { compatUrls, vgcaCall, waitForCompat } from './support/compat-clients.js';
import { CA_GOV, DAEMON_TRUST, GOV, GOV_PIN, LEAF, ROOT_GOV, SAMPLE_XML, cmsVerify, daemonCa, dialogNamed, sha256, xmlsecVerifyGov } from './support/compat-fixtures.js';
import { readFileSync } from 'node:fs';

const PORTAL = 'https://portal.example';
const FOREIGN = 'http://evil.example';

describe('VGCA compatibility endpoint', () => {
  const env = freshSoftHsm([GOV]);
  const w = new Workdir();
  const tlsDir = mkdtempSync(join(tmpdir(), 'kyso-vgca-site-'));
  let d: TestDaemon;
  let base: string;
  let ca: string;
  let site: Server;
  let siteOrigin: string;
  const uploads: { body: Buffer; type: string; auth?: string }[] = [];
  const siteHits: string[] = [];
  let pdf: Buffer;

  /** The portal's own https server: the file to sign, a redirect off the origin, the upload handler. */
  async function startSite(): Promise<void> {
    const tls = await ensureTlsMaterial(tlsDir);
    pdf = await samplePdf({ pages: 1 });
    site = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      siteHits.push(`${req.method} ${req.url}`);
      if (req.url === '/files/to-sign.pdf') { res.writeHead(200, { 'Content-Type': 'application/pdf' }).end(pdf); return; }
      if (req.url === '/files/moved.pdf') { res.writeHead(302, { Location: 'https://evil.example/x.pdf' }).end(); return; }
      if (req.url === '/upload' && req.method === 'POST') {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          uploads.push({ body: Buffer.concat(chunks), type: String(req.headers['content-type']), auth: req.headers.authorization });
          res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ FileServer: '/files/signed-1.pdf' }));
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', () => r()));
    siteOrigin = `https://127.0.0.1:${(site.address() as { port: number }).port}`;
    return void tls;
  }

  beforeAll(async () => {
    await startSite();
    d = await startTestDaemon(env, ['--compat', 'vgca', '--compat-port', 'vgca=0', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL,
      '--allow-origin', siteOrigin, ...DAEMON_TRUST], { NODE_EXTRA_CA_CERTS: join(tlsDir, 'ca.pem') });
    base = (await waitForCompat(d, ['vgca'])).vgca!.replace('/<Endpoint>', '');
    ca = daemonCa(d);
  });
  afterAll(async () => { await d?.stop(); site?.close(); env.cleanup(); w.cleanup(); rmSync(tlsDir, { recursive: true, force: true }); });

  const call = (endpoint: string, frame: string, origin = PORTAL) => vgcaCall(base, endpoint, frame, { origin, ca }) as Promise<Record<string, unknown>>;

  it('listens on wss with the per-install CA and prints its URL', () => {
    expect(compatUrls(d).vgca).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/<Endpoint>$/);
  });

  it('GetVersion and Config answer Status 0 and open nothing', async () => {
    expect(await call('GetVersion', 'GetVersion')).toMatchObject({ Status: 0, Version: expect.stringMatching(/^kyso-bridge /) });
    expect(await call('Config', 'config')).toMatchObject({ Status: 0 });
    expect(d.pinentry.transcript().filter((t) => t.cmd === 'START')).toHaveLength(0);
  });

  it('GetCertInfo: Subject CN-first, Base64Data the DER certificate, dates', async () => {
    const r = await call('GetCertInfo', 'get_cert_info');
    expect(r.Status).toBe(0);
    const info = r.CertInfo as Record<string, string>;
    expect(Buffer.from(info.Base64Data!, 'base64').equals(LEAF.raw)).toBe(true);
    expect(info.Subject).toMatch(/CN=Lê Văn Thúc, .*C=VN$/);
    expect(info.Subject!.split('CN=')[1]!.split(',')[0]).toBe('Lê Văn Thúc');
    expect(info.ValidTo).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });

  it('SignMsg {HashAlg, HashValue, Encode:"RSA"}: PKCS#1 v1.5 over that digest, CertBase64 beside it; the dialog shows the hash and names the Origin', async () => {
    const message = Buffer.from('học bạ điện tử 2025');
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const r = await call('SignMsg', JSON.stringify({ HashAlg: 'SHA256', HashValue: sha256(message).toString('base64'), Encode: 'RSA' }));
    expect(r.Status).toBe(0);
    expect(Buffer.from(r.CertBase64 as string, 'base64').equals(LEAF.raw)).toBe(true);
    expect(verifySig('sha256', message, LEAF.publicKey, Buffer.from(r.Signature as string, 'base64'))).toBe(true);
    expect(dialogNamed(d, PORTAL)).toBe(true);
    expect(d.pinentry.transcript().some((t) => t.cmd === 'SETDESC' && t.text.toLowerCase().includes(sha256(message).toString('hex').slice(0, 16)))).toBe(true);
  });

  it('SignHash takes the same frame', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const digest = sha256('x');
    const r = await call('SignHash', JSON.stringify({ HashAlg: 'SHA256', HashValue: digest.toString('base64'), Encode: 'RSA' }));
    expect(r.Status).toBe(0);
    expect(verifySig('sha256', Buffer.from('x'), LEAF.publicKey, Buffer.from(r.Signature as string, 'base64'))).toBe(true);
  });

  it('old SignMsg (base64 message): a detached CMS that openssl verifies with the message; VerifyMsg agrees', async () => {
    const message = Buffer.from('thông điệp cũ');
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const r = await call('SignMsg', message.toString('base64'));
    expect(r.Status).toBe(0);
    const cms = Buffer.from(r.Signature as string, 'base64');
    expect(cmsVerify(w, cms, message).status).toBe(0);
    expect(cmsVerify(w, cms, Buffer.from('thông điệp khác')).status).not.toBe(0);
    const v = await call('VerifyMsg', JSON.stringify({ Base64Content: message.toString('base64'), Signature: r.Signature }));
    expect(v).toMatchObject({ Status: 0, IsValid: true, SigInfo: { SignerCert: { SerialNumber: '7C0001' } } });
    const bad = await call('VerifyMsg', JSON.stringify({ Base64Content: Buffer.from('khác').toString('base64'), Signature: r.Signature }));
    expect(bad.Status).not.toBe(0);
  });

  it('Auth: the challenge signed as an attached CMS (the server needs nothing else)', async () => {
    const challenge = 'AuthCode-8f3a2c91';
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const r = await call('Auth', challenge);
    expect(r.Status).toBe(0);
    const out = cmsVerify(w, Buffer.from(r.Signature as string, 'base64'));
    expect(out.status).toBe(0);
    expect(out.out).toContain(challenge);
  });

  it('SignXML: the signed document (xmlsec1 verifies), or the Signature element only; VerifyXML answers an array', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const frame = { Base64Content: Buffer.from(SAMPLE_XML).toString('base64'), ReturnSignatureOnly: 'false', HashAlg: 'Sha256', XmlDsigForm: 'false' };
    const r = await call('SignXML', JSON.stringify(frame));
    expect(r.Status).toBe(0);
    const signed = Buffer.from(r.Signature as string, 'base64');
    const x = xmlsecVerifyGov(w, signed);
    expect(x.status, x.out).toBe(0);
    const v = await vgcaCall(base, 'VerifyXML', JSON.stringify({ Data: signed.toString('base64'), Format: 'XML' }), { origin: PORTAL, ca }) as Record<string, unknown>[];
    expect(Array.isArray(v)).toBe(true);
    expect(v[0]).toMatchObject({ SigInfo: { SignerCert: { SerialNumber: '7C0001' } }, ValidationDetails: { SignerCertStatus: { Status: 0 } } });

    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const only = await call('SignXML', JSON.stringify({ ...frame, ReturnSignatureOnly: 'true' }));
    expect(Buffer.from(only.Signature as string, 'base64').toString('utf8')).toMatch(/^<(\w+:)?Signature[\s>]/);
  });

  it('SignJson: a JWS with the certificate in its header; node:crypto and VerifyJson check it', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const r = await call('SignJson', JSON.stringify({ JsonContent: 'session-key-1234', DetachPayload: 'false', IsPss: 'true' }));
    expect(r.Status).toBe(0);
    const [h, p, s] = (r.Signature as string).split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toMatchObject({ alg: 'PS256' });
    expect(Buffer.from(p!, 'base64url').toString()).toBe('session-key-1234');
    expect(verifySig('sha256', Buffer.from(`${h}.${p}`), { key: LEAF.publicKey, padding: 6, saltLength: 32 }, Buffer.from(s!, 'base64url'))).toBe(true);
    const v = await call('VerifyJson', r.Signature as string);
    expect(v).toMatchObject({ Status: 0, JsonContent: 'session-key-1234', SigningCertInfo: { SerialNumber: '7C0001' } });
  });

  it('SignApproved (server-mediated): downloads from the page origin, signs the PDF, uploads it; FileServer from the handler', async () => {
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: GOV_PIN }]);
    const r = await call('SignApproved', JSON.stringify({
      FileName: `${siteOrigin}/files/to-sign.pdf`, FileUploadHandler: `${siteOrigin}/upload`, SessionId: 's-1', JWTToken: 'jwt-abc', MetaData: [{ Key: 'k', Value: 'v' }],
    }), siteOrigin);
    expect(r, JSON.stringify(r)).toMatchObject({ Status: 0, FileServer: '/files/signed-1.pdf' });
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.type).toMatch(/^multipart\/form-data/);
    expect(uploads[0]!.auth).toBe('Bearer jwt-abc');
    const body = uploads[0]!.body.toString('latin1');
    const signed = Buffer.from(body.slice(body.indexOf('%PDF-'), body.lastIndexOf('%%EOF') + 5), 'latin1');
    const report = await verifyDocument(signed, { validation: { trustAnchors: [readFileSync(ROOT_GOV)], intermediates: [readFileSync(CA_GOV)], revocation: 'off' } });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ valid: true, signer: { serialNumber: '7C0001' } });
    expect(dialogNamed(d, siteOrigin)).toBe(true);
  });

  it('server-mediated URLs on another origin, plain http, or redirected elsewhere are refused with a clear Message', async () => {
    const hits = siteHits.length;
    const foreign = await call('SignPDF', JSON.stringify({ FileName: 'https://evil.example/a.pdf', FileUploadHandler: `${siteOrigin}/upload` }), siteOrigin);
    expect(foreign).toMatchObject({ Status: 7, Message: expect.stringContaining("calling page's own origin") });
    const upload = await call('SignApproved', JSON.stringify({ FileName: `${siteOrigin}/files/to-sign.pdf`, FileUploadHandler: 'https://evil.example/up' }), siteOrigin);
    expect(upload.Status).toBe(7);
    expect(siteHits.length).toBe(hits); // refused before anything was fetched
    const http = await call('SignIssued', JSON.stringify({ FileName: siteOrigin.replace('https', 'http') + '/f.pdf', FileUploadHandler: `${siteOrigin}/upload` }), siteOrigin);
    expect(http).toMatchObject({ Status: 7, Message: expect.stringContaining('https') });
    const moved = await call('SignApproved', JSON.stringify({ FileName: `${siteOrigin}/files/moved.pdf`, FileUploadHandler: `${siteOrigin}/upload` }), siteOrigin);
    expect(moved).toMatchObject({ Status: 7 });
    expect(String(moved.Message)).toContain('evil.example');
  });

  it('a foreign origin gets Status 2 for certificate info and signing, with no dialog; unknown endpoints and bad frames are clear errors', async () => {
    d.pinentry.clearTranscript();
    expect(await call('GetCertInfo', 'get_cert_info', FOREIGN)).toMatchObject({ Status: 2, Code: 'ORIGIN_NOT_ALLOWED' });
    expect(await call('SignMsg', JSON.stringify({ HashAlg: 'SHA256', HashValue: sha256('a').toString('base64'), Encode: 'RSA' }), FOREIGN)).toMatchObject({ Status: 2 });
    expect(await call('Auth', 'challenge', FOREIGN)).toMatchObject({ Status: 2 });
    expect(d.pinentry.transcript().filter((t) => t.cmd === 'START')).toHaveLength(0);
    expect(await call('LoginIAM', '{}')).toMatchObject({ Status: 6, Message: expect.stringContaining('not supported') });
    expect(await call('NoSuchThing', 'x')).toMatchObject({ Status: 6 });
    expect(await call('SignMsg', '{"HashAlg":"SHA256","HashValue":"AAAA"}')).toMatchObject({ Status: 3, Message: expect.stringContaining('32 bytes') });
    expect(await call('SignXML', 'not json')).toMatchObject({ Status: 3 });
  });

  it('a plain https GET on the port is answered harmlessly; no PIN or hash reaches the log', async () => {
    const res = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      httpsGet(`${base.replace('wss', 'https')}/`, { ca }, (r) => {
        let body = '';
        r.on('data', (c) => { body += String(c); });
        r.on('end', () => resolve({ status: r.statusCode, body }));
      }).on('error', reject);
    });
    expect(res.status).toBe(426);
    expect(res.body).toContain('kyso-bridge: vgca');
    expect(await call('GetVersion', 'GetVersion')).toMatchObject({ Status: 0 });
    const log = d.logs.join('\n');
    expect(log).not.toContain(GOV_PIN);
    expect(log).not.toContain(sha256('x').toString('base64'));
    expect(log).not.toContain('AuthCode-8f3a2c91');
  });
});

