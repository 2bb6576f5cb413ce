// The Debian package as a user gets it: `npm run package` builds it offline, lintian finds no
// error, `dpkg -i` installs it, the unit passes `systemd-analyze verify`, the unit's own start
// command run as an unprivileged user gives a daemon that Chromium trusts with no further
// command, `status`, `doctor --json` and a sign work through the installed binary, and
// `dpkg -r` removes binary, runtime and unit while the user's own state stays.
// Needs root (it changes /usr, as CI does); cleans up after itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { X509Certificate, createHash, verify } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSoftHsm } from '../certs-fixtures/softhsm.js';
import { CHROMIUM } from './support/e2e.js';
import { RpcClient } from './support/rpc-client.js';
import { SHARED_SOFTHSM_DIR, tokenSpec } from './support/softhsm.js';

const isRoot = process.getuid?.() === 0;
const canRun = isRoot && existsSync('/usr/bin/dpkg-deb') && spawnSync('id', ['-u', 'nobody']).status === 0;
const VERSION = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
const DEB = resolve(`dist/pkg/kyso-bridge_${VERSION}-1_amd64.deb`);
const UNIT = '/usr/lib/systemd/user/kyso-bridge.service';
const ORIGIN = 'https://dichvucong.tinh.example';
const ORG = tokenSpec('KYSO DOANH NGHIEP');

const sh = (cmd: string, args: string[], env?: NodeJS.ProcessEnv) => spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 300_000 });
/** Long steps run asynchronously: a blocked test worker cannot report to vitest. */
const shAsync = (cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> => new Promise((res) => {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => { stdout += d; });
  p.stderr.on('data', (d) => { stderr += d; });
  p.on('close', (status) => res({ status, stdout, stderr }));
});

describe.skipIf(!canRun)('the .deb package (root)', () => {
  const base = mkdtempSync(join(tmpdir(), 'kyso-deb-'));
  const home = join(base, 'home');
  const nobody = { uid: Number(sh('id', ['-u', 'nobody']).stdout), gid: Number(sh('id', ['-g', 'nobody']).stdout) };
  let userEnv: Record<string, string>;
  let daemon: ChildProcess | undefined;
  let daemonPid: number | undefined;

  /** A command as the unprivileged user, with exactly the environment a login session would give. */
  const asUser = (program: string, args: string[]) => sh('runuser', ['-u', 'nobody', '--', 'env', '-i', ...Object.entries(userEnv).map(([k, v]) => `${k}=${v}`), program, ...args]);

  beforeAll(() => {
    chmodSync(base, 0o755);
    mkdirSync(home, { recursive: true });
    // The user's token store (SoftHSM) and settings: anchors of the test PKI, no revocation
    // servers (no network), the scripted pinentry, the portal allowed without a dialog.
    cpSync(join(SHARED_SOFTHSM_DIR, 'tokens'), join(home, 'softhsm', 'tokens'), { recursive: true });
    const store = provisionSoftHsm(join(home, 'softhsm'));
    const tools = join(home, 'tools');
    mkdirSync(tools);
    copyFileSync('test/support/fake-pinentry.mjs', join(tools, 'pinentry'));
    chmodSync(join(tools, 'pinentry'), 0o755);
    for (const f of ['root-national.pem', 'root-gov.pem']) copyFileSync(join('certs-fixtures/out', f), join(tools, f));
    const configDir = join(home, '.config', 'kyso-bridge');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({
      trustAnchors: [join(tools, 'root-national.pem'), join(tools, 'root-gov.pem')], revocation: 'off', pinentry: join(tools, 'pinentry'), allowOrigins: [ORIGIN], rawSigningOrigins: [ORIGIN],
    }));
    writeFileSync(join(tools, 'script.json'), JSON.stringify([{ confirm: 'ok' }, { pin: ORG.userPin }]));
    sh('chown', ['-R', `${nobody.uid}:${nobody.gid}`, home]);
    userEnv = {
      HOME: home, PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', SOFTHSM2_CONF: store.conf, KYSO_SYSFS_ROOT: join(home, 'no-usb'),
      KYSO_FAKE_PINENTRY_SCRIPT: join(tools, 'script.json'), KYSO_FAKE_PINENTRY_TRANSCRIPT: join(tools, 'transcript.jsonl'),
    };
  });

  afterAll(() => {
    if (daemonPid) try { process.kill(daemonPid, 'SIGTERM'); } catch { /* already gone */ }
    daemon?.kill('SIGTERM');
    sh('dpkg', ['--purge', 'kyso-bridge']);
    rmSync(base, { recursive: true, force: true });
  });

  it('npm run package builds it offline; lintian reports no error', async () => {
    const built = await shAsync('bash', ['scripts/package.sh']);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toContain(`kyso-bridge_${VERSION}-1_amd64.deb`);
    const control = sh('dpkg-deb', ['-f', DEB, 'Depends']).stdout;
    for (const dep of ['p11-kit', 'opensc', 'libnss3-tools', 'pinentry-gnome3 | pinentry-qt | pinentry-gtk2 | pinentry-curses | pinentry-tty']) expect(control).toContain(dep);
    const files = sh('dpkg-deb', ['-c', DEB]).stdout;
    expect(files).toContain('./usr/lib/kyso-bridge/node');
    expect(files).toContain('./usr/lib/kyso-bridge/app/node_modules/pkcs11js/build/Release/pkcs11.node');
    expect(files).not.toContain('node_modules/vitest/'); // production dependencies only
    expect(files).not.toContain('node_modules/typescript/');
    const lint = await shAsync('lintian', ['--fail-on', 'error', DEB]);
    expect(lint.stdout).not.toMatch(/^E: /m);
    expect(lint.status, lint.stdout).toBe(0);
  }, 600_000);

  it('dpkg -i installs binary, runtime and the globally enabled user unit; systemd-analyze verify passes', () => {
    const inst = sh('dpkg', ['-i', DEB], { ...process.env, DEBIAN_FRONTEND: 'noninteractive' });
    expect(inst.status, inst.stderr).toBe(0);
    for (const f of ['/usr/bin/kyso-bridge', '/usr/lib/kyso-bridge/node', UNIT]) expect(existsSync(f)).toBe(true);
    expect(lstatSync('/etc/systemd/user/default.target.wants/kyso-bridge.service').isSymbolicLink()).toBe(true);
    // A user manager needs a runtime directory; this machine has no login session, so give it one.
    const runtime = join(base, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    const v = sh('systemd-analyze', ['verify', '--user', UNIT], { ...process.env, XDG_RUNTIME_DIR: runtime });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr.trim()).toBe('');
  });

  it('as an unprivileged user: --version, the unit\'s own start command, status, doctor, Chromium trust, a sign', async () => {
    expect(asUser('/usr/bin/kyso-bridge', ['--version']).stdout.trim()).toBe(VERSION);
    // Run ExecStart exactly as the unit says (no systemd session on this machine).
    const exec = /^ExecStart=(.*)$/m.exec(readFileSync(UNIT, 'utf8'))![1].split(' ');
    expect(exec).toEqual(['/usr/bin/kyso-bridge', 'serve', '--first-start']);
    daemon = spawn('runuser', ['-u', 'nobody', '--', 'env', '-i', ...Object.entries(userEnv).map(([k, v]) => `${k}=${v}`), ...exec], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    daemon.stderr!.on('data', (d) => { err += d; });
    await new Promise<void>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`no start:\n${err}`)), 60_000);
      daemon!.stdout!.on('data', (d) => { out += d; if (out.includes('kyso-bridge: ')) { clearTimeout(t); res(); } });
      daemon!.once('exit', (c) => { clearTimeout(t); rej(new Error(`exit ${c}:\n${err}`)); });
    });
    expect(out).toContain('kyso-bridge: wss://127.0.0.1:15976/v1');
    expect(err).toContain('"trust":"installed"'); // the first start made the browser trust it, no terminal

    const status = asUser('/usr/bin/kyso-bridge', ['status']);
    expect(status.status).toBe(0);
    // Our API first, then the vendor-compatible endpoints whose ports were free.
    expect(status.stdout.trim()).toMatch(new RegExp(`^running ${VERSION} wss://127\\.0\\.0\\.1:15976/v1(,\\S+)* [1-9]\\d* tokens$`));
    daemonPid = JSON.parse(asUser('/usr/bin/kyso-bridge', ['status', '--json']).stdout).pid;

    const doctor = JSON.parse(asUser('/usr/bin/kyso-bridge', ['doctor', '--json']).stdout) as { findings: { id: string; severity: string }[] };
    const ids = doctor.findings.map((f) => f.id);
    expect(ids).toContain('daemon.running');
    expect(ids).toContain('tls.valid');
    expect(ids).toContain('tls.trusted.nss');
    expect(ids.some((i) => i.startsWith('certs.valid.'))).toBe(true);
    expect(doctor.findings.filter((f) => f.id.startsWith('tls.') && f.severity !== 'info')).toEqual([]);

    if (CHROMIUM) {
      // Chromium reads ~/.pki/nssdb of its HOME: the CA the first start installed must be trusted.
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], env: { ...process.env, HOME: home } });
      try {
        const res = await (await browser.newPage()).goto('https://127.0.0.1:15976/v1');
        expect(await res!.text()).toContain('kyso-bridge');
      } finally {
        await browser.close();
      }
    }

    const ca = readFileSync(join(home, '.config', 'kyso-bridge', 'tls', 'ca.pem'), 'utf8');
    const c = await RpcClient.connect('wss://127.0.0.1:15976/v1', { origin: ORIGIN, ca });
    try {
      const certs = (await c.call('certificates.list', {})).result as { certificates: { id: string; label: string; certificate: string }[] };
      const org = certs.certificates.find((x) => x.label === 'leaf-org')!;
      const doc = Buffer.from('tờ khai thuế');
      const r = await c.call('sign.hash', { certificateId: org.id, hash: createHash('sha256').update(doc).digest('base64'), hashAlgorithm: 'SHA-256' }, 60_000);
      expect(r.error).toBeUndefined();
      const key = new X509Certificate(Buffer.from(org.certificate, 'base64')).publicKey;
      expect(verify('sha256', doc, key, Buffer.from((r.result as { signature: string }).signature, 'base64'))).toBe(true);
    } finally {
      c.ws.close();
    }
  }, 180_000);

  it('dpkg -r removes binary, runtime and unit; the user\'s state stays', async () => {
    if (daemonPid) process.kill(daemonPid, 'SIGTERM');
    else if (daemon && daemon.exitCode === null) daemon.kill('SIGTERM'); // runuser passes it on
    await new Promise<void>((res) => (daemon && daemon.exitCode === null ? daemon.once('exit', () => res()) : res()));
    daemonPid = undefined;
    const rm = sh('dpkg', ['-r', 'kyso-bridge']);
    expect(rm.status, rm.stderr).toBe(0);
    for (const f of ['/usr/bin/kyso-bridge', '/usr/lib/kyso-bridge', UNIT]) expect(existsSync(f)).toBe(false);
    expect(existsSync(join(home, '.config', 'kyso-bridge', 'tls', 'ca.pem'))).toBe(true);
    expect(existsSync(join(home, '.config', 'kyso-bridge', 'config.json'))).toBe(true);
    expect(readdirSync(join(home, '.pki', 'nssdb'))).toContain('cert9.db');
  }, 60_000);
});
