// Document signing through the core: the sign-documents grant, a consent that shows the document
// the bridge read (e-invoice facts, the seller-MST warning, PDF pages), refusals before any PIN,
// and outputs the project's verifier (and openssl for CMS) accepts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import type { BridgeService } from '../src/core/bridge-service.js';
import type { ConsentRequest, Dialogs } from '../src/core/dialogs.js';
import { verifyDocument } from '../src/documents/index.js';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import { testCore, type MemoryGrantStore } from './support/core.js';
import { samplePdf } from './support/pdf-samples.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { openManager } from './support/tokens.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const PORTAL = 'https://portal.example';
const trustAnchors = [readFileSync(join(OUT_DIR, 'root-national.pem'))];

describe('BridgeService.signDocument', () => {
  const env = freshSoftHsm([ORG]);
  let manager: TokenManager;
  let core: BridgeService;
  let grants: MemoryGrantStore;
  let orgId: string;
  const consents: ConsentRequest[] = [];
  let answer: 'ok' | 'cancel' = 'ok';
  let pins = 0;
  beforeAll(async () => {
    manager = await openManager(env);
    const dialogs: Dialogs = {
      confirm: async (r) => { consents.push(r); if (answer === 'cancel') throw Object.assign(new (await import('../src/errors.js')).KysoError('USER_CANCELLED')); },
      getPin: async () => { pins++; return ORG.userPin; },
      confirmOrigin: async (o) => o === PORTAL,
      confirmRawSigning: async () => false,
      chooseCertificate: async () => 0,
    };
    ({ core, grants } = testCore({ manager, dialogs, validation: { trustAnchors, revocation: 'off', network: false } }));
    orgId = (await manager.userCertificates()).find((c) => c.object.label === 'leaf-org')!.id;
  });
  afterAll(() => { manager?.close(); env.cleanup(); });

  it('needs sign-documents: the first consent gives it (with login), a refused site gets ORIGIN_NOT_ALLOWED', async () => {
    const content = Buffer.from('<a/>');
    await expect(core.signDocument({ origin: 'https://other.example' }, { certificateId: orgId, format: 'cms', content, name: 'x' }))
      .rejects.toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', data: { grant: 'sign-documents' } });
    expect(grants.get('https://other.example', 'sign-documents')?.decision).toBe('denied');
    expect(consents).toHaveLength(0);
    expect(pins).toBe(0);
  });

  it('an e-invoice: the consent shows series, seller and the MST mismatch warning; the signature verifies', async () => {
    const invoice = readFileSync('test/fixtures/documents/einvoice.xml');
    const r = await core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'xmldsig', profile: 'vn-einvoice', content: invoice, name: 'hoa-don-0001.xml' });
    const c = consents.at(-1)!;
    expect(c).toMatchObject({ purpose: 'sign-document', document: { name: 'hoa-don-0001.xml', facts: { format: 'xmldsig', size: invoice.length } } });
    expect(c.document!.facts.invoice?.seller.taxCode).toBe('3301234567'); // the certificate's own MST: no warning
    expect(c.document!.facts.warnings).toEqual([]);
    // Another seller's invoice: the consent names both numbers.
    const foreign = Buffer.from(invoice.toString('utf8').replace('<MST>3301234567</MST>', '<MST>0401234567-001</MST>'));
    await core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'xmldsig', profile: 'vn-einvoice', content: foreign, name: 'hoa-don-0002.xml' });
    const w = consents.at(-1)!.document!.facts.warnings;
    expect(w).toMatchObject([{ code: 'SELLER_MST_MISMATCH', invoiceTaxCode: '0401234567-001', certificateTaxCode: '3301234567' }]);
    const { consentTexts } = await import('../src/pin/texts.js');
    expect(consentTexts(consents.at(-1)!, 'vi').desc).toMatch(/0401234567-001.*3301234567/s);
    const report = await verifyDocument(r.content, { validation: { trustAnchors, revocation: 'off', intermediates: [readFileSync(join(OUT_DIR, 'ca-rsa.pem'))] } as never });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({ valid: true });
    expect(r.signer.subject).toContain('CN=');
  });

  it('a PDF: the consent shows its pages; the output is an incremental update the verifier accepts', async () => {
    const pdf = await samplePdf({ pages: 3 });
    const r = await core.signDocument({ origin: PORTAL }, {
      certificateId: orgId, format: 'pades', content: pdf, name: 'ho-so.pdf', options: { pdf: { visible: { page: 1, rect: [50, 50, 250, 120] } } },
    });
    expect(consents.at(-1)!.document!.facts.pdf).toMatchObject({ pageCount: 3, placement: { visible: true, page: 1 } });
    expect(r.content.subarray(0, pdf.length).equals(pdf)).toBe(true);
    const report = await verifyDocument(r.content, { validation: { trustAnchors, revocation: 'off', intermediates: [readFileSync(join(OUT_DIR, 'ca-rsa.pem'))] } as never });
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
  });

  it('CMS detached: openssl cms -verify accepts it against the test root', async () => {
    const content = Buffer.from('đơn đề nghị');
    const r = await core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'cms', content, name: 'don.txt', options: { cms: { detached: true } } });
    const dir = mkdtempSync(join(tmpdir(), 'kyso-core-cms-'));
    writeFileSync(join(dir, 'sig.der'), r.content);
    writeFileSync(join(dir, 'data'), content);
    const out = execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'data'),
      '-CAfile', join(OUT_DIR, 'root-national.pem'), '-binary', '-out', '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  it('refuses before any dialog: a TSA not configured here, level T with no TSA, too large; a refused consent is USER_CANCELLED without a PIN', async () => {
    const before = { consents: consents.length, pins };
    const content = Buffer.from('x');
    await expect(core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'cms', content, name: 'x', tsaUrl: 'http://10.0.0.1/tsa' }))
      .rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    expect(consents.length).toBe(before.consents); // no dialog for a refusal
    await expect(core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'cms', content, name: 'x', level: 'B' as const, options: {}, hashAlgorithm: 'SHA-256', output: 'signature' }))
      .resolves.toBeTruthy();
    const afterOk = { consents: consents.length, pins };
    expect(afterOk.consents).toBe(before.consents + 1);
    await expect(core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'cms', content: Buffer.alloc(51 * 1024 * 1024), name: 'big' }))
      .rejects.toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
    expect(consents.length).toBe(afterOk.consents);
    answer = 'cancel';
    await expect(core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'cms', content, name: 'x' })).rejects.toMatchObject({ code: 'USER_CANCELLED' });
    answer = 'ok';
    expect(pins).toBe(afterOk.pins);
    const beforeT = consents.length; // the cancelled one above showed its consent
    await expect(core.signDocument({ origin: PORTAL }, { certificateId: orgId, format: 'cms', content, name: 'x', level: 'T' }))
      .rejects.toMatchObject({ code: 'TSA_UNAVAILABLE' });
    expect(consents.length).toBe(beforeT);
  });
});
