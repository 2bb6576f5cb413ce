// Document signing over the real WebSocket API (`kyso-bridge serve --tsa`, SoftHSM, scripted
// pinentry): a 20 MB PDF uploaded in chunks by the SDK and signed visibly at B-LT (loopback TSA,
// the fixture OCSP/CRL server on its own port) that pdfsig and qpdf accept; an e-invoice xmlsec1
// accepts; the consent shows the document before the PIN; and every way a transfer can go wrong.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import { PKI_HTTP_PORT } from '../certs-fixtures/pki-spec.js';
import * as K from '../src/client/index.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { nssDb, pdfsig, qpdfCheck, Workdir, xmlsecVerify } from './support/document-tools.js';
import { samplePdf } from './support/pdf-samples.js';
import { PkiServer } from './support/pki-server.js';
import { RpcClient, type RpcReply } from './support/rpc-client.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { TsaServer } from './support/tsa-server.js';

const PORTAL = 'https://portal.example';
const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
const ORG = tokenSpec('KYSO DOANH NGHIEP');
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');
const withOrigin = (origin: string) => class extends WS {
  constructor(url: string) { super(url, { origin }); }
} as unknown as K.WebSocketCtor;
const code = (r: RpcReply) => r.error?.data?.code;

describe.skipIf(!existsSync(CLI))('sign.document and document.* over the daemon API', () => {
  const env = freshSoftHsm([ORG]);
  const w = new Workdir();
  const tsa = new TsaServer();
  const pki = new PkiServer();
  let d: TestDaemon;
  let c: RpcClient;
  let orgId: string;
  const sdk = () => ({ url: d.url, WebSocket: withOrigin(PORTAL) });

  beforeAll(async () => {
    await tsa.start();
    // The daemon fetches B-LT revocation data from the URLs in the certificates (port 39180).
    await pki.start(PKI_HTTP_PORT);
    d = await startTestDaemon(env, ['--no-tls', '--allow-origin', PORTAL, '--revocation', 'off', '--tsa', tsa.url,
      '--trust-anchor', join(OUT, 'root-national.pem'), '--trust-anchor', join(OUT, 'root-gov.pem')]);
    c = await RpcClient.connect(d.url, { origin: PORTAL });
    const r = await c.call('certificates.list');
    orgId = (r.result as { certificates: { id: string; label: string }[] }).certificates.find((x) => x.label === 'leaf-org')!.id;
  });
  afterAll(async () => {
    K.disconnect();
    c?.close();
    await d?.stop();
    await tsa.stop();
    await pki.stop();
    env.cleanup();
    w.cleanup();
  });

  it('bridge.info lists sign.document and document.transfer', async () => {
    const r = await c.call('bridge.info');
    expect((r.result as { features: string[] }).features).toEqual(expect.arrayContaining(['sign.document', 'document.transfer']));
  });

  it('a 20 MB PDF goes up in chunks and comes back signed visibly at B-LT; pdfsig and qpdf accept it; the consent showed the document before the PIN', async () => {
    const pdf = await samplePdf({ pages: 4, padBytes: 20 * 1024 * 1024 });
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const phases = new Set<string>();
    let uploaded = 0;
    const r = await K.signDocument(pdf, {
      ...sdk(), format: 'pades', level: 'LT', name: 'ho-so-du-thau.pdf', certificateId: orgId,
      options: { pdf: { visible: { page: 2, rect: [300, 60, 560, 140] }, reason: 'Nộp hồ sơ', location: 'Huế' } },
    }, { onProgress: (p) => { phases.add(p.phase); if (p.phase === 'upload') uploaded = p.loaded; } });
    expect(r.level).toBe('LT');
    expect(uploaded).toBe(pdf.length);
    expect([...phases]).toEqual(['upload', 'sign', 'download', 'done']);
    expect(r.signer.subject).toContain('Dương Hòa');
    expect(r.sha256).toBe(sha256(r.content));
    const out = Buffer.from(r.content);
    expect(out.subarray(0, pdf.length).equals(pdf)).toBe(true); // incremental
    const file = w.write('ho-so-lt.pdf', out);
    const p = await pdfsig(nssDb(w, ['leaf-org']), file);
    expect([p.signatures, p.valid, p.trusted], p.out).toEqual([1, 1, 1]);
    const q = qpdfCheck(file);
    expect([0, 3], q.out).toContain(q.status);
    expect(tsa.hits).toBeGreaterThan(0);
    // The dialog: who, what document (name, size, fingerprint, pages, placement), then the PIN.
    const t = d.pinentry.transcript();
    const consent = t.findIndex((e) => e.cmd === 'SETDESC' && e.text.includes('ho-so-du-thau.pdf'));
    const pin = t.findIndex((e) => e.cmd === 'GETPIN');
    expect(consent).toBeGreaterThanOrEqual(0);
    expect(pin).toBeGreaterThan(consent);
    const desc = t[consent].text;
    const h = sha256(pdf);
    expect(desc).toContain('portal.example');
    expect(desc).toContain('Ký văn bản');
    expect(desc).toContain(`${(pdf.length / 1024 / 1024).toFixed(1)} MiB`);
    expect(desc).toContain(`${h.slice(0, 8)}…${h.slice(-8)}`);
    expect(desc).toContain('PADES LT');
    expect(desc).toContain('Số trang: 4');
    expect(desc).toContain('trang 2');
    // The ids were released: the daemon holds nothing for this connection any more.
    expect(d.logs.filter((l) => l.includes('"method":"document.release"') && l.includes('"outcome":"ok"')).length).toBe(2);
  }, 240_000);

  it('an e-invoice XML (inline) signed with the vn-einvoice profile: xmlsec1 accepts it; the consent showed the invoice', async () => {
    const invoice = readFileSync('test/fixtures/documents/einvoice.xml');
    d.pinentry.clearTranscript();
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const r = await K.signDocument(new Blob([invoice]), { ...sdk(), format: 'xmldsig', profile: 'vn-einvoice', name: 'hoa-don-C25TAA-123.xml', certificateId: orgId });
    expect(r.level).toBe('B');
    const x = xmlsecVerify(w.write('hoa-don.xml', Buffer.from(r.content)), ['Id:DLHDon', 'Id:Object']);
    expect(x.status, x.out).toBe(0);
    const desc = d.pinentry.transcript().find((e) => e.cmd === 'SETDESC' && e.text.includes('hoa-don-C25TAA-123.xml'))!.text;
    expect(desc).toContain('C25TAA');
    expect(desc).toContain('3301234567');
    expect(desc).toContain('11000000');
  });

  it('inline limits: 45 KiB decoded at most (DOCUMENT_TOO_LARGE); a bigger result comes back as a documentId', async () => {
    const big = await c.call('sign.document', { format: 'cms', name: 'a.bin', certificateId: orgId, source: { content: Buffer.alloc(45 * 1024 + 1, 7).toString('base64') } });
    expect(code(big)).toBe('DOCUMENT_TOO_LARGE');
    // A 44 KiB CMS attached: the signed result (content + signature) is larger than the inline limit.
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const content = Buffer.alloc(44 * 1024, 9);
    const r = await c.call('sign.document', { format: 'cms', name: 'a.bin', certificateId: orgId, source: { content: content.toString('base64') }, options: { cms: { detached: false } } }, 60_000);
    const res = r.result as { documentId: string; size: number; sha256: string; level: string };
    expect(res, JSON.stringify(r.error)).toMatchObject({ level: 'B' });
    expect(res.size).toBeGreaterThan(45 * 1024);
    const parts: Buffer[] = [];
    for (let offset = 0, eof = false; !eof;) {
      const g = (await c.call('document.get', { documentId: res.documentId, offset, length: 45 * 1024 })).result as { data: string; eof: boolean };
      parts.push(Buffer.from(g.data, 'base64'));
      offset += parts.at(-1)!.length;
      eof = g.eof;
    }
    expect(sha256(Buffer.concat(parts))).toBe(res.sha256);
    expect((await c.call('document.release', { documentId: res.documentId })).result).toEqual({ released: true });
    expect(code(await c.call('document.get', { documentId: res.documentId, offset: 0, length: 10 }))).toBe('DOCUMENT_NOT_FOUND');
  });

  async function begin(client: RpcClient, data: Buffer, sha = sha256(data)): Promise<{ documentId: string; chunkSize: number; maxSize: number }> {
    const r = await client.call('document.begin', { name: 'ho-so.pdf', mediaType: 'application/pdf', size: data.length, sha256: sha });
    expect(r.error, JSON.stringify(r.error)).toBeUndefined();
    return r.result as { documentId: string; chunkSize: number; maxSize: number };
  }

  it('document.begin: chunkSize fits a frame, maxSize is the cap; a bigger size is DOCUMENT_TOO_LARGE', async () => {
    const b = await begin(c, Buffer.alloc(10));
    expect(b).toMatchObject({ chunkSize: 45 * 1024, maxSize: 50 * 1024 * 1024 });
    await c.call('document.release', { documentId: b.documentId });
    const r = await c.call('document.begin', { name: 'x.pdf', mediaType: 'application/pdf', size: 50 * 1024 * 1024 + 1, sha256: sha256(Buffer.alloc(0)) });
    expect(code(r)).toBe('DOCUMENT_TOO_LARGE');
    expect(r.error!.data).toMatchObject({ maxSize: 50 * 1024 * 1024 });
  });

  it('a full chunk with the longest request id fits the 64 KiB frame', async () => {
    const data = Buffer.alloc(45 * 1024, 1);
    const b = await begin(c, data);
    const id = 'i'.repeat(128);
    const frame = JSON.stringify({ jsonrpc: '2.0', id, method: 'document.put', params: { documentId: b.documentId, offset: 0, data: data.toString('base64') } });
    expect(frame.length).toBeLessThan(64 * 1024);
    const r = await c.raw(frame, id);
    expect(r.result).toEqual({ received: data.length });
    expect((await c.call('document.end', { documentId: b.documentId })).result).toEqual({ size: data.length, sha256: sha256(data) });
    await c.call('document.release', { documentId: b.documentId });
  });

  it('an out-of-order chunk and a short upload are UPLOAD_INCOMPLETE; the upload can go on', async () => {
    const data = Buffer.from('0123456789');
    const b = await begin(c, data);
    const put = (offset: number, part: Buffer) => c.call('document.put', { documentId: b.documentId, offset, data: part.toString('base64') });
    expect((await put(0, data.subarray(0, 4))).result).toEqual({ received: 4 });
    const skip = await put(6, data.subarray(6));
    expect(code(skip)).toBe('UPLOAD_INCOMPLETE');
    expect(skip.error!.data).toMatchObject({ received: 4, offset: 6 });
    expect(code(await put(0, data.subarray(0, 4)))).toBe('UPLOAD_INCOMPLETE'); // a repeated chunk too
    expect(code(await c.call('document.end', { documentId: b.documentId }))).toBe('UPLOAD_INCOMPLETE');
    expect(code(await c.call('sign.document', { format: 'pades', name: 'x.pdf', source: { documentId: b.documentId } }))).toBe('UPLOAD_INCOMPLETE');
    expect(code(await put(4, Buffer.from('456789abc')))).toBe('UPLOAD_INCOMPLETE'); // past the declared size
    expect((await put(4, data.subarray(4))).result).toEqual({ received: 10 });
    expect((await c.call('document.end', { documentId: b.documentId })).result).toEqual({ size: 10, sha256: sha256(data) });
    await c.call('document.release', { documentId: b.documentId });
  });

  it('a wrong sha256 is UPLOAD_INCOMPLETE and drops the upload', async () => {
    const data = Buffer.from('nội dung hồ sơ');
    const b = await begin(c, data, sha256(Buffer.from('something else')));
    await c.call('document.put', { documentId: b.documentId, offset: 0, data: data.toString('base64') });
    const end = await c.call('document.end', { documentId: b.documentId });
    expect(code(end)).toBe('UPLOAD_INCOMPLETE');
    expect(end.error!.data).toMatchObject({ actual: sha256(data) });
    expect(code(await c.call('document.end', { documentId: b.documentId }))).toBe('DOCUMENT_NOT_FOUND');
  });

  it("another connection's id is DOCUMENT_NOT_FOUND; ids go with their connection", async () => {
    const data = Buffer.from('%PDF-1.7 tiny');
    const other = await RpcClient.connect(d.url, { origin: PORTAL });
    const b = await begin(other, data);
    for (const [method, params] of [
      ['document.put', { documentId: b.documentId, offset: 0, data: data.toString('base64') }],
      ['document.get', { documentId: b.documentId, offset: 0, length: 10 }],
      ['document.end', { documentId: b.documentId }],
      ['document.release', { documentId: b.documentId }],
      ['sign.document', { format: 'pades', name: 'x.pdf', source: { documentId: b.documentId } }],
    ] as const) {
      expect(code(await c.call(method, params)), method).toBe('DOCUMENT_NOT_FOUND');
    }
    other.close();
    await other.closed();
    const again = await RpcClient.connect(d.url, { origin: PORTAL });
    expect(code(await again.call('document.put', { documentId: b.documentId, offset: 0, data: data.toString('base64') }))).toBe('DOCUMENT_NOT_FOUND');
    again.close();
  });

  it('at most 2 uploads in progress per connection: a third is BUSY; ending one makes room', async () => {
    const data = Buffer.from('abc');
    const one = await begin(c, data);
    const two = await begin(c, data);
    const third = await c.call('document.begin', { name: 'c.pdf', mediaType: 'application/pdf', size: 3, sha256: sha256(data) });
    expect(code(third)).toBe('BUSY');
    await c.call('document.put', { documentId: one.documentId, offset: 0, data: data.toString('base64') });
    await c.call('document.end', { documentId: one.documentId });
    const four = await begin(c, data);
    for (const id of [one.documentId, two.documentId, four.documentId]) await c.call('document.release', { documentId: id });
  });

  it('refused before any dialog: a page-given TSA not configured here, XML at level T, bad params naming the field; an unlisted origin lacks the grant', async () => {
    d.pinentry.clearTranscript();
    d.pinentry.setScript([]);
    const pdf = (await samplePdf({ pages: 1 })).toString('base64');
    const tsaReply = await c.call('sign.document', { format: 'pades', level: 'T', name: 'x.pdf', certificateId: orgId, source: { content: pdf }, tsa: { url: 'http://10.1.2.3/tsa' } });
    expect(code(tsaReply)).toBe('INVALID_PARAMS');
    expect(tsaReply.error!.message).toContain('tsa.url');
    const xmlT = await c.call('sign.document', { format: 'xmldsig', level: 'T', name: 'x.xml', source: { content: Buffer.from('<a/>').toString('base64') } });
    expect(code(xmlT)).toBe('INVALID_PARAMS');
    expect(xmlT.error!.message).toContain('level');
    const bad: [unknown, string][] = [
      [{ format: 'pades', name: '../../etc/passwd', source: { content: pdf } }, 'name'],
      [{ format: 'pades', name: 'x.pdf', source: { path: '/etc/passwd' } }, 'source'],
      [{ format: 'pades', name: 'x.pdf', source: { content: pdf, documentId: 'ab' } }, 'source'],
      [{ format: 'pades', name: 'x.pdf', source: { content: pdf }, options: { pdf: { visible: { page: 0, rect: [0, 0, 10, 10] } } } }, 'options.pdf.visible.page'],
      [{ format: 'pdf', name: 'x.pdf', source: { content: pdf } }, 'format'],
      [{ format: 'cms', level: 'LT', name: 'x', source: { content: pdf } }, 'level'],
    ];
    for (const [params, field] of bad) {
      const r = await c.call('sign.document', params);
      expect(code(r), JSON.stringify(params)).toBe('INVALID_PARAMS');
      expect(r.error!.message).toContain(field);
    }
    expect(code(await c.call('document.put', { documentId: 'abc', offset: -1, data: 'AA==' }))).toBe('INVALID_PARAMS');
    expect(d.pinentry.transcript().filter((e) => e.cmd === 'START')).toEqual([]);
    const stranger = await RpcClient.connect(d.url, { origin: 'http://stranger.example' });
    const denied = await stranger.call('document.begin', { name: 'x.pdf', mediaType: 'application/pdf', size: 3, sha256: sha256(Buffer.from('abc')) });
    expect(code(denied)).toBe('ORIGIN_NOT_ALLOWED');
    expect(denied.error!.data).toMatchObject({ grant: 'sign-documents' });
    stranger.close();
  });

  it('SDK typed errors for the new codes', async () => {
    const big = new Uint8Array(50 * 1024 * 1024 + 1);
    await expect(K.signDocument(big, { ...sdk(), format: 'pades', name: 'big.pdf' })).rejects.toBeInstanceOf(K.DocumentTooLargeError);
    d.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const e = await K.signDocument(Buffer.from('not a pdf at all'), { ...sdk(), format: 'pades', name: 'broken.pdf', certificateId: orgId }).catch((x) => x);
    expect(e).toBeInstanceOf(K.DocumentInvalidError);
    expect(e.localized('en')).toBe('The document is invalid or cannot be signed.');
  });
});
