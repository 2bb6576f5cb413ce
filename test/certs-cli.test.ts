// `verify-cert` and `roots`: as real processes (exit codes, stdout) through a commander
// program that registers only these commands, and in-process with the loopback PKI server.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerifyCert } from '../src/cli/verify-cert.js';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import { x509 } from '../src/certs/x509.js';
import { PkiServer } from './support/pki-server.js';

const TRUST = resolve('../shared/trust');
const fx = (n: string) => join(OUT_DIR, `${n}.pem`);
const vn = (n: string) => join(TRUST, `${n}.pem`);
let work: string;
let harness: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
  harness = join(work, 'cli.mts');
  const src = (p: string) => pathToFileURL(resolve(p)).href;
  writeFileSync(harness, [
    // The harness lives outside the repo, so commander is imported by path.
    `import { Command } from '${pathToFileURL(createRequire(import.meta.url).resolve('commander')).href}';`,
    `import { registerVerifyCert } from '${src('src/cli/verify-cert.ts')}';`,
    `import { registerRoots } from '${src('src/cli/roots.ts')}';`,
    `const program = new Command('kyso-bridge');`,
    `registerVerifyCert(program); registerRoots(program);`,
    `await program.parseAsync(process.argv);`,
  ].join('\n'));
  return () => rmSync(work, { recursive: true, force: true });
});

/** Runs the CLI with no route out: HOME and caches in the temp dir, network only where a test allows. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', harness, ...args], {
      cwd: process.cwd(),
      env: { ...process.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config'), XDG_CACHE_HOME: join(work, 'cache'), KYSO_CONFIG_DIR: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('verify-cert (process)', () => {
  it('exit 0 and the status for a valid fixture leaf; exit 1 for each failing case', async () => {
    const base = ['--trust-anchor', fx('root-national'), '--trust-anchor', fx('root-gov'), '--intermediate', fx('ca-rsa'), '--intermediate', fx('ca-gov'), '--revocation', 'off', '--offline', '--json'];
    const runs = await Promise.all([
      cli(['verify-cert', fx('leaf-org'), ...base]),
      cli(['verify-cert', fx('leaf-expired'), ...base]),
      cli(['verify-cert', fx('leaf-untrusted'), ...base]),
      cli(['verify-cert', fx('leaf-no-sign-usage'), ...base, '--purpose', 'auth']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 1, 1, 1]);
    const parsed = runs.map((r) => JSON.parse(r.stdout));
    expect(parsed.map((p) => p.status.code)).toEqual(['VALID', 'EXPIRED', 'UNTRUSTED', 'KEY_USAGE']);
    expect(parsed[0].identity).toMatchObject({ taxCode: '3301234567', kind: 'organization' });
    expect(Object.keys(parsed[0].status).sort()).toEqual(['chain', 'code', 'message', 'messageEn', 'ok', 'revocation', 'warnings']);
  });

  it('real certificates: BkavCA leaf EXPIRED now, VALID --at 2019-01-01; VNPT-CA (DER) with its root', async () => {
    const der = join(work, 'vnpt.der');
    writeFileSync(der, Buffer.from(new x509.X509Certificate(readFileSync(vn('vnpt-ca-sha2'), 'utf8')).rawData));
    const bk = ['verify-cert', vn('bkavca-license-leaf-2018'), '--intermediate', vn('bkavca-2015'), '--intermediate', vn('mic-national-root-ca'), '--revocation', 'off', '--offline'];
    const [now, then, vnpt] = await Promise.all([
      cli(bk),
      cli([...bk, '--at', '2019-01-01', '--json']),
      cli(['verify-cert', der, '--intermediate', vn('vietnam-national-root-ca'), '--revocation', 'off', '--offline', '--json']),
    ]);
    expect(now.code).toBe(1);
    expect(now.stdout).toContain('Chứng thư số đã hết hạn');
    expect(now.stdout).toContain('MST 0101360697-BkavCALicense');
    expect(then.code).toBe(0);
    expect(JSON.parse(then.stdout).status.code).toBe('VALID');
    expect(JSON.parse(then.stdout).identity.taxCodeBase).toBe('0101360697');
    expect(vnpt.code).toBe(0);
    expect(JSON.parse(vnpt.stdout).status.chain).toHaveLength(2);
  });

  it('bad input exits 2', async () => {
    const r = await cli(['verify-cert', join(work, 'missing.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Lỗi \/ Error/);
  });
});

describe('roots (process)', () => {
  it('import accepts a pinned root, refuses others, --force warns; list shows them', async () => {
    const dir = join(work, 'roots');
    const ok = await cli(['roots', 'import', vn('mic-national-root-ca'), '--roots-dir', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('MIC National Root CA');
    const refused = await cli(['roots', 'import', fx('root-untrusted'), '--roots-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('không khớp CA gốc chính thức');
    const forced = await cli(['roots', 'import', fx('root-untrusted'), '--roots-dir', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('WARNING');
    const list = JSON.parse((await cli(['roots', 'list', '--roots-dir', dir, '--json'])).stdout);
    expect(list.pinned.filter((p: { imported: boolean }) => p.imported).map((p: { id: string }) => p.id)).toEqual(['mic-national-root']);
    expect(list.forced).toHaveLength(1);
  });
});

describe('verify-cert with revocation (in process, loopback PKI server)', () => {
  const server = new PkiServer();
  beforeAll(async () => {
    await server.start();
    return async () => {
      await server.stop();
      rmSync(args.cacheDir, { recursive: true, force: true });
    };
  });
  const out: string[] = [];
  const io = { out: (s: string) => { out.push(s); }, err: (s: string) => { out.push(s); }, fetch: server.fetch };
  const args = { trustAnchor: [fx('root-national')], intermediate: [fx('ca-rsa')], cacheDir: join(tmpdir(), `kyso-cli-cache-${process.pid}`), json: true,
    // Not the user's stores: directories that do not exist.
    rootsDir: join(tmpdir(), `kyso-cli-none-${process.pid}`), intermediatesDir: join(tmpdir(), `kyso-cli-none-${process.pid}`) };

  it('OCSP revoked → exit 1, REVOKED; good → exit 0', async () => {
    out.length = 0;
    expect(await runVerifyCert(fx('leaf-revoked'), { ...args, revocation: 'require' }, io)).toBe(1);
    expect(JSON.parse(out.join('')).status).toMatchObject({ code: 'REVOKED', revocation: { source: 'ocsp' } });
    out.length = 0;
    expect(await runVerifyCert(fx('leaf-org'), { ...args, revocation: 'require' }, io)).toBe(0);
    expect(JSON.parse(out.join('')).status).toMatchObject({ code: 'VALID', revocation: { source: 'ocsp', status: 'good' } });
  });

  it('responder down: prefer → exit 0 REVOCATION_UNKNOWN, require → exit 1', async () => {
    server.ocspMode = 'down';
    server.crlMode = 'down';
    out.length = 0;
    expect(await runVerifyCert(fx('leaf-mst-cccd'), { ...args, revocation: 'prefer' }, io)).toBe(0);
    expect(JSON.parse(out.join('')).status.code).toBe('REVOCATION_UNKNOWN');
    out.length = 0;
    expect(await runVerifyCert(fx('leaf-sha1'), { ...args, revocation: 'require' }, io)).toBe(1);
  });
});
