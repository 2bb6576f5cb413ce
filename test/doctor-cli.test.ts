// `kyso-bridge doctor` as a user runs it (the built CLI): each problem the issue names gets a
// finding with a fix a non-technical user can follow, Vietnamese by default.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './support/daemon.js';
import { freshSoftHsm, sharedSoftHsm, tokenSpec } from './support/softhsm.js';
import { FAKE_PINENTRY } from './support/fake-pinentry.js';
import { TRUST_ARGS, startShimDaemon, type ShimDaemon } from './support/shim-daemon.js';

interface Finding { id: string; severity: 'error' | 'warning' | 'info'; message: string; fix: string }
interface Run { code: number | null; stdout: string; stderr: string; findings: Finding[] }

const EPASS_SYSFS = resolve('test/fixtures/usb/sysfs-epass2003');
const NO_USB = mkdtempSync(join(tmpdir(), 'kyso-nousb-'));
const configDir = mkdtempSync(join(tmpdir(), 'kyso-doctor-'));

const noOpenscConfig = join(configDir, 'no-opensc.json');

function doctor(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return doctorRun(args, env);
}

function doctorRun(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [CLI, 'doctor', '--pinentry', FAKE_PINENTRY, ...args], {
      env: { ...process.env, KYSO_CONFIG_DIR: configDir, XDG_CACHE_HOME: join(configDir, 'cache'), KYSO_SYSFS_ROOT: NO_USB, ...env },
      encoding: 'utf8', timeout: 60_000,
    }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? null) : 0;
      let findings: Finding[] = [];
      if (args.includes('--json')) findings = (JSON.parse(stdout) as { findings: Finding[] }).findings;
      res({ code: typeof code === 'number' ? code : null, stdout, stderr, findings });
    });
  });
}

const listen = (port: number): Promise<Server> => new Promise((res, rej) => {
  const s = createServer((sock) => sock.on('error', () => undefined));
  s.once('error', rej);
  s.listen({ host: '127.0.0.1', port }, () => res(s));
});
const portOf = (s: Server) => (s.address() as { port: number }).port;

describe('kyso-bridge doctor', () => {
  const shared = sharedSoftHsm();
  const softhsm = ['--module', shared.modulePath, ...TRUST_ARGS];
  let idlePort: number;

  beforeAll(async () => {
    const s = await listen(0);
    idlePort = portOf(s);
    await new Promise((r) => s.close(r)); // a port nobody listens on now
  });
  afterAll(() => { rmSync(configDir, { recursive: true, force: true }); rmSync(NO_USB, { recursive: true, force: true }); });

  it('a plugged-in ePass2003 with OpenSC installed: served by OpenSC, no "install the driver" error', async () => {
    const opensc = ['/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so', '/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so'].find((p) => existsSync(p));
    if (!opensc) return; // OpenSC is a package dependency and in scripts/system-deps.sh; absent only on odd machines
    const r = await doctor([...softhsm, '--port', String(idlePort), '--json'], { ...shared.env, KYSO_SYSFS_ROOT: EPASS_SYSFS });
    expect(r.findings.find((x) => x.id === 'usb.no-driver.096e:0807')).toBeUndefined();
    const ok = r.findings.find((x) => x.id === 'usb.ok.096e:0807');
    expect(ok).toMatchObject({ severity: 'info' });
    expect(ok!.message).toContain('OpenSC');
  });

  it('a plugged-in ePass2003 without its driver (fake sysfs, OpenSC absent): an error with the install hint, exit 1', async () => {
    // The config's driver entries replace bundled ones: here OpenSC "is not installed".
    writeFileSync(noOpenscConfig, JSON.stringify({ drivers: [{ id: 'opensc', name: 'OpenSC', kind: 'software', tokenFamilies: ['feitian-epass2003'], modules: { linux: { files: ['/nonexistent/opensc-pkcs11.so'] } } }] }));
    const doctor = (args: string[], env: Record<string, string>) => doctorRun([...args, '--config', noOpenscConfig], env);
    const r = await doctor([...softhsm, '--port', String(idlePort), '--json'], { ...shared.env, KYSO_SYSFS_ROOT: EPASS_SYSFS });
    expect(r.code).toBe(1);
    const f = r.findings.find((x) => x.id === 'usb.no-driver.096e:0807');
    expect(f).toMatchObject({ severity: 'error' });
    expect(f!.message).toContain('ePass2003');
    expect(f!.message).toContain('chưa cài driver');
    expect(f!.fix).toContain('cài driver');
    expect(f!.fix).toContain('rút USB ra cắm lại');
    // The same in English, and as the readable list.
    const en = await doctor([...softhsm, '--port', String(idlePort), '--json', '--lang', 'en'], { ...shared.env, KYSO_SYSFS_ROOT: EPASS_SYSFS });
    expect(en.findings.find((x) => x.id === 'usb.no-driver.096e:0807')!.message).toContain('driver is not installed');
    const human = await doctor([...softhsm, '--port', String(idlePort)], { ...shared.env, KYSO_SYSFS_ROOT: EPASS_SYSFS });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/✖ Máy tính đã nhận USB ký số ePass2003 \(096E:0807\) nhưng chưa cài driver/);
    expect(human.stdout).toContain('Cách sửa:');
  });

  it('an expired certificate (KYSO HET HAN): an error telling to renew with the CA; valid ones are info', async () => {
    const r = await doctor([...softhsm, '--port', String(idlePort), '--json'], shared.env);
    const expired = r.findings.filter((x) => x.id.startsWith('certs.expired.'));
    expect(expired).toHaveLength(1);
    expect(expired[0].severity).toBe('error');
    expect(expired[0].message).toContain('Công ty Cổ phần Hết Hạn');
    expect(expired[0].message).toContain('hết hạn');
    expect(expired[0].fix).toContain('gia hạn');
    expect(r.findings.filter((x) => x.id.startsWith('certs.valid.')).length).toBeGreaterThanOrEqual(3);
    expect(r.findings.find((x) => x.id === 'usb.none')?.severity).toBe('info');
    expect(r.code).toBe(1);
  });

  it('nothing wrong but the daemon not running: warnings only, exit 0', async () => {
    const org = tokenSpec('KYSO DOANH NGHIEP');
    const store = freshSoftHsm([org]);
    try {
      const r = await doctor(['--module', store.modulePath, ...TRUST_ARGS, '--port', String(idlePort), '--json'], store.env);
      expect(r.findings.filter((x) => x.severity === 'error')).toEqual([]);
      expect(r.findings.find((x) => x.id === 'daemon.not-running')?.severity).toBe('warning');
      expect(r.code).toBe(0);
    } finally {
      store.cleanup();
    }
  });

  it('a port held by another program: the daemon port (error, names the program) and a known plugin port (warning)', async () => {
    const held = await listen(0);
    let plugin: Server | undefined;
    try { plugin = await listen(14007); } catch { /* taken for real on this machine: still reported, by someone else */ }
    try {
      const r = await doctor([...softhsm, '--port', String(portOf(held)), '--json'], shared.env);
      const f = r.findings.find((x) => x.id === 'daemon.port-taken')!;
      expect(f.severity).toBe('error');
      expect(f.message).toContain(String(portOf(held)));
      expect(f.message).toContain(`pid ${process.pid}`);
      expect(f.fix).toContain('Đóng');
      const p = r.findings.find((x) => x.id === 'plugin-ports.14007')!;
      expect(p.severity).toBe('warning');
      expect(p.message).toContain('Viettel-CA');
      if (plugin) expect(p.message).toContain(`pid ${process.pid}`);
      expect(r.code).toBe(1);
    } finally {
      held.close();
      plugin?.close();
    }
  });

  describe('with a daemon running over the fault shim', () => {
    const ORG = tokenSpec('KYSO DOANH NGHIEP');
    let sd: ShimDaemon;
    beforeAll(async () => { sd = await startShimDaemon({ tokens: [ORG], shim: { maxTries: 3 } }); });
    afterAll(async () => { await sd?.stop(); });

    it('a locked PIN: an error saying to contact the CA; the running daemon is recognised', async () => {
      // Three wrong PINs earlier: the shim's shared state says no tries left.
      writeFileSync(sd.shim.statePath, `tries_left:${ORG.label}=0\n`);
      const r = await doctor(['--module', sd.shim.modulePath, ...TRUST_ARGS, '--port', String(sd.d.port), '--json'], sd.env);
      const f = r.findings.find((x) => x.id.startsWith('pin.locked.'))!;
      expect(f.severity).toBe('error');
      expect(f.message).toContain(ORG.label);
      expect(f.message).toContain('bị khoá');
      expect(f.fix).toContain('liên hệ CA');
      expect(r.findings.find((x) => x.id === 'daemon.running')?.message).toContain(String(sd.d.port));
      expect(r.code).toBe(1);
    });
  });
});
