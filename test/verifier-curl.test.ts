// A portal that only has curl: it registers and logs in a user against `kyso-bridge verifier
// serve` (a real process, SQLite store), with proofs made by the real daemon (SoftHSM token,
// scripted pinentry) through the browser SDK. The verifier checks revocation (require) against
// the loopback OCSP responder on the fixture port (this suite runs alone: scripts/test.sh phase 2).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import * as K from '../src/client/index.js';
import { PKI_HTTP_PORT } from '../certs-fixtures/pki-spec.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { PkiServer } from './support/pki-server.js';
import { ANCHOR_FILES } from './support/portal-tokens.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { startVerifierProcess, type VerifierProcess } from './support/verifier.js';

const run = promisify(execFile);
const PORTAL = 'https://dichvucong.example.gov.vn';
const ORG = tokenSpec('KYSO DOANH NGHIEP');
const CURL = ['/usr/bin/curl', '/bin/curl'].find((p) => existsSync(p));

const withOrigin = (origin: string) => class extends WS {
  constructor(url: string) { super(url, { origin }); }
} as unknown as K.WebSocketCtor;

describe.skipIf(!existsSync(CLI) || !CURL)('a curl-only portal against verifier serve, proofs from the real daemon', { timeout: 120_000 }, () => {
  const env = freshSoftHsm([ORG]);
  const dir = mkdtempSync(join(tmpdir(), 'kyso-curl-'));
  const pki = new PkiServer();
  let daemon: TestDaemon;
  let verifier: VerifierProcess;

  /** curl and nothing else: the body goes through a file, exactly as a shell script would send it. */
  async function curl(method: string, path: string, body?: string): Promise<{ status: number; json: any }> {
    const args = ['-sS', '--max-time', '60', '-X', method, '-o', '-', '-w', '\n%{http_code}', verifier.url + path];
    if (body !== undefined) {
      const file = join(dir, `body-${Date.now()}-${Math.random()}.json`);
      writeFileSync(file, body);
      args.push('-H', 'Content-Type: application/json', '--data-binary', `@${file}`);
    }
    const { stdout } = await run(CURL!, args, { maxBuffer: 1 << 20 });
    const nl = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(nl + 1)), json: JSON.parse(stdout.slice(0, nl)) };
  }

  /** The page's part: the daemon signs the nonce for PORTAL after consent and PIN. */
  async function proofFromDaemon(nonce: string): Promise<string> {
    const opts = { url: daemon.url, WebSocket: withOrigin(PORTAL) };
    const certs = await K.listCertificates(opts);
    const org = certs.find((c) => c.identity.taxCode === '3301234567')!;
    daemon.pinentry.setScript([{ confirm: 'ok' }, { pin: ORG.userPin }]);
    return JSON.stringify(await K.authenticate(nonce, { ...opts, certificateId: org.id }));
  }

  beforeAll(async () => {
    await pki.start(PKI_HTTP_PORT);
    daemon = await startTestDaemon(env, ['--no-tls', '--allow-origin', PORTAL, '--revocation', 'off',
      ...ANCHOR_FILES.flatMap((f) => ['--trust-anchor', f])]);
    verifier = await startVerifierProcess(['--store', `sqlite:${join(dir, 'challenges.db')}`, '--origin', PORTAL,
      ...ANCHOR_FILES.flatMap((f) => ['--trust-anchor', f]), '--revocation', 'require', '--log-level', 'debug']);
  });
  afterAll(async () => {
    K.disconnect();
    await verifier?.stop();
    await daemon?.stop();
    await pki.stop();
    env.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers (challenge → daemon proof → verify), logs in again, and a replay is refused', async () => {
    const session = 'JSESSIONID=4F2A9C0D1E7B';
    expect((await curl('GET', '/healthz')).json).toEqual({ ok: true, store: 'up' });

    // Đăng ký: the identity the portal stores comes from the verified certificate only.
    const c1 = await curl('POST', '/v1/challenges', JSON.stringify({ sessionId: session }));
    expect(c1.status).toBe(200);
    const token1 = await proofFromDaemon(c1.json.nonce);
    const reg = await curl('POST', '/v1/verify', `{"sessionId":${JSON.stringify(session)},"token":${token1}}`);
    expect(reg.status).toBe(200);
    expect(reg.json).toMatchObject({
      ok: true, identity: { taxCode: '3301234567', organization: 'Công ty TNHH Phần mềm Dương Hòa' },
      certificate: { notAfter: '2045-12-31T23:59:59.000Z' }, validation: { ok: true, code: 'VALID' },
    });
    expect(reg.json.validation.revocation).toMatchObject({ source: 'ocsp', status: 'good' });

    // identity and validation as `kyso-bridge certs --json` shows the same certificate.
    const { stdout } = await run(process.execPath, [CLI, 'certs', '--json', '--module', env.modulePath, '--revocation', 'off',
      ...ANCHOR_FILES.flatMap((f) => ['--trust-anchor', f])], { env: { ...process.env, ...env.env } });
    const listed = (JSON.parse(stdout) as any[]).find((c) => c.certificate === JSON.parse(token1).certificate);
    expect(reg.json.identity).toEqual(listed.identity);
    expect(Object.keys(reg.json.validation).sort()).toEqual(Object.keys(listed.status).sort());
    expect(Object.keys(reg.json.validation.revocation).filter((k) => k !== 'url' && k !== 'cached').sort())
      .toEqual(expect.arrayContaining(Object.keys(listed.status.revocation).sort()));
    expect(reg.json.certificate).toEqual({
      subject: listed.subject, issuer: listed.issuer, serialNumber: listed.serialNumber, notBefore: listed.notBefore, notAfter: listed.notAfter,
    });

    // Đăng nhập later, same session cookie, new challenge.
    const c2 = await curl('POST', '/v1/challenges', JSON.stringify({ sessionId: session }));
    const token2 = await proofFromDaemon(c2.json.nonce);
    const login = await curl('POST', '/v1/verify', `{"sessionId":${JSON.stringify(session)},"token":${token2}}`);
    expect(login.json).toMatchObject({ ok: true, identity: { taxCode: '3301234567' } });

    // The first proof, presented again (same or another session): refused.
    const replay = await curl('POST', '/v1/verify', `{"sessionId":${JSON.stringify(session)},"token":${token1}}`);
    expect(replay.json).toMatchObject({ ok: false, code: 'REPLAYED' });
    expect(replay.json.message).toBe('Dữ liệu xác thực đã được sử dụng.');

    // A malformed request names its field.
    const bad = await curl('POST', '/v1/verify', JSON.stringify({ sessionId: session }));
    expect(bad).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST', field: 'token' } });

    // Nothing secret in the service's log.
    const logs = verifier.logs.join('\n');
    expect(logs).toContain('verifier listening');
    for (const secret of [session, c1.json.nonce, c2.json.nonce, JSON.parse(token1).signature.slice(0, 32)]) expect(logs).not.toContain(secret);
  });
});
