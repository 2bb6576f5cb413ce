// `kyso-bridge sign` as an office runs it: the built CLI over SoftHSM with the scripted pinentry,
// the consent showing the document before the PIN, then `kyso-bridge verify` on the output
// (and pdfsig/qpdf, xmlsec1 on it): a round trip through nothing but the command line.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './support/daemon.js';
import { nssDb, pdfsig, qpdfCheck, Workdir, xmlsecVerify } from './support/document-tools.js';
import { createFakePinentry } from './support/fake-pinentry.js';
import { samplePdf } from './support/pdf-samples.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';

const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
const ORG = tokenSpec('KYSO DOANH NGHIEP');
const ROOT = join(OUT, 'root-national.pem');

interface Result { code: number; stdout: string; stderr: string }

describe.skipIf(!existsSync(CLI))('kyso-bridge sign / verify round trip', () => {
  const env = freshSoftHsm([ORG]);
  const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-sign-'));
  const pinentry = createFakePinentry(join(dir, 'pinentry'));
  const w = new Workdir();
  let orgId: string;

  function cli(args: string[]): Promise<Result> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], {
        env: { ...process.env, ...env.env, ...pinentry.env, KYSO_CONFIG_DIR: dir, XDG_CACHE_HOME: join(dir, 'cache'), XDG_RUNTIME_DIR: join(dir, 'run') },
        encoding: 'utf8', maxBuffer: 16 * 1024 * 1024,
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
  }
  const common = () => ['--module', env.modulePath, '--pinentry', pinentry.program, '--config', join(dir, 'config.json'), '--trust-anchor', ROOT, '--revocation', 'off'];

  beforeAll(async () => {
    const r = await cli(['certs', '--json', '--module', env.modulePath, '--config', join(dir, 'config.json'), '--revocation', 'off', '--trust-anchor', ROOT]);
    expect(r.code, r.stderr).toBe(0);
    orgId = (JSON.parse(r.stdout) as { id: string; label: string }[]).find((c) => c.label === 'leaf-org')!.id;
  });
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); w.cleanup(); env.cleanup(); });

  it('signs a PDF visibly (format from the extension); the dialog showed the file before the PIN; verify, pdfsig and qpdf accept it', async () => {
    const pdf = w.write('cong-van.pdf', await samplePdf({ pages: 2 }));
    pinentry.clearTranscript();
    pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const r = await cli(['sign', pdf, ...common(), '--certificate', orgId, '--visible', '1:40,40,260,110', '--reason', 'Phê duyệt']);
    expect(r.code, r.stderr).toBe(0);
    const out = join(w.dir, 'cong-van.signed.pdf');
    expect(r.stdout).toContain(out);
    expect(readFileSync(out).subarray(0, readFileSync(pdf).length).equals(readFileSync(pdf))).toBe(true);
    const t = pinentry.transcript();
    const consent = t.findIndex((e) => e.cmd === 'SETDESC' && e.text.includes('cong-van.pdf'));
    expect(consent).toBeGreaterThanOrEqual(0);
    expect(t[consent].text).toContain('Số trang: 2');
    expect(t.findIndex((e) => e.cmd === 'GETPIN')).toBeGreaterThan(consent);
    const v = await cli(['verify', out, '--trust-anchor', ROOT, '--revocation', 'off', '--json']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(JSON.parse(v.stdout).signatures).toMatchObject([{ format: 'pades', valid: true, coversWholeDocument: true }]);
    const p = await pdfsig(nssDb(w, ['leaf-org']), out);
    expect([p.signatures, p.valid], p.out).toEqual([1, 1]);
    expect([0, 3]).toContain(qpdfCheck(out).status);
  });

  it('signs an e-invoice with --profile vn-einvoice; verify and xmlsec1 accept it; a changed byte fails verify', async () => {
    const xml = w.write('hoa-don.xml', readFileSync('test/fixtures/documents/einvoice.xml'));
    pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    const out = join(w.dir, 'hd-ky.xml');
    const r = await cli(['sign', xml, ...common(), '--certificate', orgId, '--profile', 'vn-einvoice', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(xmlsecVerify(out, ['Id:DLHDon', 'Id:Object']).status).toBe(0);
    // The e-invoice's KeyInfo carries the signer's certificate only: its CA comes from --intermediate.
    const v = await cli(['verify', out, '--trust-anchor', ROOT, '--intermediate', join(OUT, 'ca-rsa.pem'), '--revocation', 'off']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    writeFileSync(join(w.dir, 'hd-sua.xml'), readFileSync(out, 'utf8').replace('11000000', '11000001'));
    expect((await cli(['verify', join(w.dir, 'hd-sua.xml'), '--trust-anchor', ROOT, '--intermediate', join(OUT, 'ca-rsa.pem'), '--revocation', 'off'])).code).toBe(1);
  });

  it('refuses clearly: a bad --visible, XML at level T, and a cancelled consent signs nothing', async () => {
    const pdf = w.write('x.pdf', await samplePdf({ pages: 1 }));
    const bad = await cli(['sign', pdf, ...common(), '--visible', '1:40,40']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--visible');
    const xml = w.write('y.xml', '<a Id="x"/>');
    pinentry.clearTranscript();
    const t = await cli(['sign', xml, ...common(), '--level', 'T']);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('level');
    expect(pinentry.transcript()).toEqual([]); // refused before the certificate chooser
    pinentry.setScript([{ confirm: 'cancel' }]);
    const c = await cli(['sign', pdf, ...common(), '--certificate', orgId]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('Bạn đã huỷ thao tác.');
    expect(existsSync(join(w.dir, 'x.signed.pdf'))).toBe(false);
  });
});
