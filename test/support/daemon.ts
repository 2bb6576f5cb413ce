// Runs `kyso-bridge serve` as a real child process (the built CLI), with its own config dir,
// a SoftHSM store and the scripted pinentry; keeps every log line for redaction checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createFakePinentry, type FakePinentry } from './fake-pinentry.js';
import type { SoftHsmEnv } from '../../certs-fixtures/softhsm.js';

export const CLI = resolve('dist/bin/kyso-bridge.js');

export interface TestDaemon {
  url: string;
  port: number;
  configDir: string;
  pinentry: FakePinentry;
  logs: string[];
  /** What the daemon printed on stdout (its URL, then one line per compatibility endpoint). */
  stdout(): string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startTestDaemon(env: SoftHsmEnv, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<TestDaemon> {
  const configDir = mkdtempSync(join(tmpdir(), 'kyso-daemon-'));
  const pinentry = createFakePinentry(join(configDir, 'pinentry'));
  // The vendors' fixed ports (8987, 4433, 8443) are opened only by tests that ask for them, so
  // suites running side by side (CI has no network namespaces) never fight over them.
  const compat = args.some((a) => a === '--compat' || a === '--compat-port' || a === '--no-compat') ? [] : ['--no-compat'];
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--module', env.modulePath, '--pinentry', pinentry.program,
    '--config', join(configDir, 'config.json'), '--log-level', 'trace', ...compat, ...args], {
    env: { ...process.env, ...env.env, ...pinentry.env, KYSO_CONFIG_DIR: configDir, XDG_CACHE_HOME: join(configDir, 'cache'), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stdout = '';
  child.stderr!.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
  const url = await new Promise<string>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`daemon did not start:\n${logs.join('\n')}`)), 20_000);
    child.stdout!.on('data', (d) => {
      stdout += String(d);
      const m = /kyso-bridge: (\S+)/.exec(stdout);
      if (m) { clearTimeout(t); res(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(t); rej(new Error(`daemon exited ${code}:\n${logs.join('\n')}`)); });
  });
  const port = Number(new URL(url).port);
  return {
    url, port, configDir, pinentry, logs, child, stdout: () => stdout,
    stop: (signal = 'SIGTERM') => new Promise((res) => {
      if (child.exitCode !== null) { res(child.exitCode); return; }
      child.once('exit', (code) => { rmSync(configDir, { recursive: true, force: true }); res(code); });
      child.kill(signal);
    }),
  };
}
