// The control channel: the CLI sees the running daemon's tokens, certificate statuses and
// origins (not what it would read itself), `status` says running/not running with exit 0/3, the
// socket is 0600 in a 0700 directory that another user cannot enter, bad input gets an error.
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { sharedSoftHsm } from './support/softhsm.js';
import { TRUST_ARGS } from './support/shim-daemon.js';

const base = mkdtempSync(join(tmpdir(), 'kyso-control-'));
chmodSync(base, 0o755); // so that only our own directory's mode keeps another user out
const socket = join(base, 'run', 'kyso-bridge', 'control.sock');
const home = join(base, 'home');
mkdirSync(home, { recursive: true });
/** A CLI environment that has no token of its own: no SoftHSM store, no config, the test socket. */
const cliEnv = { ...process.env, HOME: home, KYSO_CONFIG_DIR: '', XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'),
  SOFTHSM2_CONF: join(home, 'none.conf'), KYSO_CONTROL_SOCKET: socket, KYSO_SYSFS_ROOT: join(home, 'no-usb') };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => execFile(process.execPath, [CLI, ...args], { env: cliEnv, encoding: 'utf8', timeout: 60_000 },
    (err, stdout, stderr) => res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })));
}

function rawRequest(line: string): Promise<string> {
  return new Promise((res, rej) => {
    const s = createConnection(socket);
    let got = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.write(line));
    s.on('data', (d: string) => { got += d; if (got.includes('\n')) { s.destroy(); res(got); } });
    s.on('close', () => res(got));
    s.on('error', rej);
  });
}

describe('control channel', () => {
  const shared = sharedSoftHsm();
  let d: TestDaemon;

  beforeAll(async () => {
    d = await startTestDaemon(shared, ['--no-tls', '--allow-origin', 'http://127.0.0.1:4999', ...TRUST_ARGS], { KYSO_CONTROL_SOCKET: socket });
  });
  afterAll(async () => {
    await d?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('status: one line with version, listener and token count, exit 0; --json has the daemon config dir', async () => {
    const r = await cli(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(new RegExp(`^running \\d+\\.\\d+\\.\\d+\\S* ws://127\\.0\\.0\\.1:${d.port}/v1 [1-9]\\d* tokens$`));
    const j = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(j).toMatchObject({ running: true, name: 'kyso-bridge', configDir: d.configDir, pid: d.child.pid });
    expect(j.modules).toEqual([expect.objectContaining({ path: shared.modulePath, loaded: true })]);
  });

  it('tokens and certs are the daemon\'s: its SoftHSM store and its trust anchors', async () => {
    const tokens = JSON.parse((await cli(['tokens', '--json'])).stdout) as { label: string }[];
    expect(tokens.map((t) => t.label)).toContain('KYSO DOANH NGHIEP');
    const certs = JSON.parse((await cli(['certs', '--json'])).stdout) as { label: string; status: { code: string } }[];
    // The CLI has no trust anchor of its own: VALID can only come from the daemon's validation.
    expect(certs.find((c) => c.label === 'leaf-org')?.status.code).toBe('VALID');
    // Asking for own modules reads directly: the CLI's empty store shows none of the daemon's tokens.
    const own = JSON.parse((await cli(['tokens', '--json', '--module', shared.modulePath])).stdout) as { label: string }[];
    expect(own.map((t) => t.label)).not.toContain('KYSO DOANH NGHIEP');
  });

  it('origins list shows what the daemon allows from its command line', async () => {
    const list = JSON.parse((await cli(['origins', 'list', '--json'])).stdout) as { origin: string; grants: string[]; source: string }[];
    expect(list).toContainEqual(expect.objectContaining({ origin: 'http://127.0.0.1:4999', grants: ['login', 'sign-documents'], source: 'config' }));
    expect(list).toContainEqual(expect.objectContaining({ origin: 'https://dichvucong.gov.vn', source: 'builtin' }));
  });

  it('the socket is 0600 in a 0700 directory; another user cannot connect', async () => {
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(base, 'run', 'kyso-bridge')).mode & 0o777).toBe(0o700);
    if (process.getuid?.() !== 0) return; // switching user needs root (CI runs as root)
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e',
      `require('net').createConnection(${JSON.stringify(socket)}).on('connect',()=>{console.log('connected');process.exit(0)}).on('error',(e)=>{console.log(e.code);process.exit(0)})`],
    { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('EACCES');
  });

  it('bad input gets an error answer, an oversized line closes the connection, the daemon stays up', async () => {
    expect(JSON.parse(await rawRequest('{"id":1,"method":"sign"}\n'))).toMatchObject({ id: null, error: { code: 'INVALID_PARAMS' } });
    expect(JSON.parse(await rawRequest('not json\n'))).toMatchObject({ error: { code: 'INVALID_PARAMS' } });
    expect(JSON.parse(await rawRequest('x'.repeat(10_000)))).toMatchObject({ error: { message: 'request too large' } });
    expect((await cli(['status'])).code).toBe(0);
  });

  it('a second daemon leaves the socket to the first', async () => {
    const second = await startTestDaemon(shared, ['--no-tls'], { KYSO_CONTROL_SOCKET: socket });
    try {
      // stderr (the log) and stdout (the URL line) are separate pipes: wait for the log line.
      for (const end = Date.now() + 10_000; !second.logs.join('\n').includes('control socket held') && Date.now() < end;) await new Promise((r) => setTimeout(r, 25));
      expect(second.logs.join('\n')).toContain('control socket held by another kyso-bridge');
      expect(JSON.parse((await cli(['status', '--json'])).stdout).pid).toBe(d.child.pid);
    } finally {
      await second.stop();
    }
    // Its stop must not remove the first daemon's socket.
    expect((await cli(['status'])).code).toBe(0);
  });

  it('not running: "not running", exit 3, also over a socket file left by a killed daemon', async () => {
    await d.stop('SIGKILL');
    const r = await cli(['status']);
    expect(r).toMatchObject({ code: 3, stdout: 'not running\n' });
    expect(JSON.parse((await cli(['status', '--json'])).stdout)).toEqual({ running: false });
    // A new daemon takes the stale socket over.
    d = await startTestDaemon(shared, ['--no-tls'], { KYSO_CONTROL_SOCKET: socket });
    expect((await cli(['status'])).code).toBe(0);
  });
});
