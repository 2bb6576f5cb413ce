// `doctor` as the first-time trial used it: next to a running daemon it reports that daemon's
// TLS, tokens and validation (not its own config); it names the certificate holder; it finds a
// terminal pinentry although it runs without a terminal; its fixes name how the user starts the
// bridge (demo, login service, serve).
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { howStarted } from '../src/doctor/start-command.js';
import { CLI, startTestDaemon, type TestDaemon } from './support/daemon.js';
import { sharedSoftHsm } from './support/softhsm.js';
import { TRUST_ARGS } from './support/shim-daemon.js';

interface Finding { id: string; severity: string; message: string; fix: string }

const base = mkdtempSync(join(tmpdir(), 'kyso-doctor-daemon-'));
const home = join(base, 'home');
mkdirSync(home, { recursive: true });

/** doctor in a new session (no controlling terminal), no display, with the given PATH. */
function doctor(args: string[], env: Record<string, string>): Promise<Finding[]> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [CLI, 'doctor', '--json', '--port', '9', ...args], {
      detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { HOME: home, LANG: 'C.UTF-8', KYSO_SYSFS_ROOT: join(base, 'no-usb'), XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache'), ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', rej);
    child.on('close', () => { try { res((JSON.parse(out) as { findings: Finding[] }).findings); } catch (e) { rej(new Error(`${e}: ${out}`)); } });
  });
}

describe('doctor next to a running daemon', () => {
  const shared = sharedSoftHsm();
  const socket = join(base, 'run', 'control.sock');
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(shared, [...TRUST_ARGS], { KYSO_CONTROL_SOCKET: socket });
  });
  afterAll(async () => {
    await d?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('reports the daemon\'s listener, TLS material, tokens and validation, and names the holder', async () => {
    // The doctor's own config dir has no TLS material and no trust anchors, and no token store.
    const f = await doctor([], { PATH: process.env.PATH ?? '/usr/bin:/bin', KYSO_CONTROL_SOCKET: socket, SOFTHSM2_CONF: join(base, 'none.conf') });
    const running = f.find((x) => x.id === 'daemon.running');
    expect(running?.message).toContain(`wss://127.0.0.1:${d.port}/v1`);
    expect(running?.message).toContain(d.configDir);
    expect(f.map((x) => x.id)).toContain('tls.valid');
    expect(f.map((x) => x.id)).not.toContain('tls.missing');
    expect(f.find((x) => x.id.startsWith('modules.loaded.'))?.message).toContain('dịch vụ đang chạy');
    // VALID needs the daemon's anchors: the doctor has none of its own.
    const civil = f.find((x) => x.id.startsWith('certs.valid.') && x.message.includes('Thúc'));
    expect(civil?.message).toMatch(/^Chứng thư số của Lê Văn Thúc \(UBND xã Dương Hòa\)/);
    expect(f.filter((x) => x.id.startsWith('certs.expired.'))).toHaveLength(1);
  });
});

describe('doctor without a terminal, and fixes that name how the bridge is started', () => {
  const bin = join(base, 'bin');
  beforeAll(() => {
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'pinentry-curses'), '#!/bin/sh\necho "OK Pleased to meet you"\n');
    chmodSync(join(bin, 'pinentry-curses'), 0o755);
  });
  const env = (extra: Record<string, string> = {}) => ({ PATH: bin, KYSO_CONTROL_SOCKET: join(base, 'none.sock'), SOFTHSM2_CONF: join(base, 'none.conf'), ...extra });

  it('pinentry-curses installed, no terminal, started by hand: found, not "missing"; the fix says kyso-bridge serve', async () => {
    const f = await doctor(['--config', join(base, 'plain', 'config.json')], env());
    expect(f.find((x) => x.id.startsWith('pinentry.'))).toMatchObject({ id: 'pinentry.terminal', severity: 'info' });
    expect(f.find((x) => x.id === 'daemon.not-running')?.fix).toContain('kyso-bridge serve');
  });

  it('the login service (a user unit) but only a terminal pinentry: a warning to install a desktop one; the fix says systemctl', async () => {
    mkdirSync(join(home, '.config', 'systemd', 'user'), { recursive: true });
    writeFileSync(join(home, '.config', 'systemd', 'user', 'kyso-bridge.service'), '[Service]\n');
    try {
      const f = await doctor(['--config', join(base, 'plain', 'config.json')], env());
      expect(f.find((x) => x.id.startsWith('pinentry.'))).toMatchObject({ id: 'pinentry.terminal-only', severity: 'warning' });
      expect(f.find((x) => x.id === 'daemon.not-running')?.fix).toContain('systemctl --user restart kyso-bridge');
    } finally {
      rmSync(join(home, '.config', 'systemd'), { recursive: true, force: true });
    }
  });

  it('the demo\'s state folder: the fixes say npm run demo', async () => {
    const f = await doctor(['--config', join(base, 'clone', '.kyso-demo', 'config', 'config.json')], env());
    expect(f.find((x) => x.id === 'daemon.not-running')?.fix).toContain('npm run demo');
    expect(f.find((x) => x.id === 'tls.missing')?.fix).toContain('npm run demo');
  });

  it('howStarted: package unit, LaunchAgent, nothing', () => {
    const only = (p: string) => (q: string) => q === p;
    expect(howStarted('/h/.config/kyso-bridge', { home: '/h', env: {}, exists: only('/usr/lib/systemd/user/kyso-bridge.service') }).kind).toBe('systemd');
    expect(howStarted('/h/.config/kyso-bridge', { home: '/h', env: {}, platform: 'darwin', exists: only('/h/Library/LaunchAgents/vn.kyso-bridge.daemon.plist') }).kind).toBe('launchd');
    expect(howStarted('/h/.config/kyso-bridge', { home: '/h', env: {}, exists: () => false }).command.en).toContain('kyso-bridge serve');
  });
});
