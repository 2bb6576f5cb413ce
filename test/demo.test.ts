// `npm run demo` as a first-time user meets it: the PIN list with a Vietnamese purpose column and
// the state folder, a "stopped" line on Ctrl-C, `--reset`, and the port-busy hint naming
// `npm run demo -- --bridge-port N`. Runs scripts/demo.ts with its state in a temporary folder.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const state = mkdtempSync(join(tmpdir(), 'kyso-demo-'));
afterAll(() => rmSync(state, { recursive: true, force: true }));

function demo(args: string[], until: RegExp): Promise<{ out: string; code: number | null }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('scripts/demo.ts'), '--port', '0', '--no-tls', '--pinentry', resolve('test/support/fake-pinentry.mjs'), ...args], {
      env: { ...process.env, KYSO_DEMO_DIR: state, KYSO_CONTROL_SOCKET: join(state, 'control.sock'), HOME: state }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let sent = false;
    const t = setTimeout(() => { child.kill('SIGKILL'); rej(new Error(`demo did not print ${until}:\n${out}`)); }, 90_000);
    const onData = (d: Buffer) => {
      out += d;
      if (!sent && until.test(out)) { sent = true; child.kill('SIGINT'); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => { clearTimeout(t); res({ out, code }); });
  });
}

const listen = (port: number): Promise<Server> => new Promise((res, rej) => {
  const s = createServer();
  s.once('error', rej);
  s.listen({ host: '127.0.0.1', port }, () => res(s));
});

describe('npm run demo', () => {
  it('prints the PINs with a Vietnamese purpose and the state folder; Ctrl-C prints "stopped"', async () => {
    const r = await demo(['--bridge-port', '0'], /Ctrl\+C stops/);
    expect(r.out).toMatch(/KYSO CONG DAN\s+PIN 246810\s+công dân, khoá EC/);
    expect(r.out).toMatch(/KYSO HET HAN\s+PIN 111111\s+chứng thư đã hết hạn/);
    expect(r.out).toContain(`Dữ liệu thử nghiệm / demo state:             ${state}`);
    expect(r.out).toContain('npm run demo -- --reset');
    expect(r.out).toContain('Đã dừng kyso-bridge và cổng thử nghiệm. / Stopped');
    expect(r.code).toBe(0);
  }, 120_000);

  it('--reset removes the old state first', async () => {
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'stale-marker'), 'x');
    const r = await demo(['--bridge-port', '0', '--reset'], /Ctrl\+C stops/);
    expect(r.out).toContain('removed the old demo state');
    expect(existsSync(join(state, 'stale-marker'))).toBe(false);
  }, 120_000);

  it('a busy bridge port: the hint says npm run demo -- --bridge-port N', async () => {
    const busy = await listen(0);
    try {
      const port = (busy.address() as { port: number }).port;
      const r = await demo(['--bridge-port', String(port)], /$^/);
      expect(r.out).toContain('npm run demo -- --bridge-port N');
      expect(r.code).toBe(1);
    } finally {
      busy.close();
    }
  }, 120_000);
});
