// `kyso-bridge trust` against real certutil (libnss3-tools) in a temporary HOME.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { registerTrust } from '../src/cli/trust.js';
import { TRUST_NICKNAME, TrustError, trustInstall, trustRemove, trustStatus, type TrustEnv } from '../src/trust/nss.js';
import { formatReport, manualSteps, stepsForPlatform } from '../src/trust/report.js';

const OUT = join(import.meta.dirname, '..', 'certs-fixtures', 'out');
let env: TrustEnv;

function listing(dir: string): string {
  return spawnSync('certutil', ['-L', '-d', `sql:${dir}`], { encoding: 'utf8' }).stdout;
}

function useCa(name: string): void {
  mkdirSync(join(env.configDir, 'tls'), { recursive: true });
  copyFileSync(join(OUT, `${name}.pem`), join(env.configDir, 'tls', 'ca.pem'));
}

beforeEach(() => {
  const home = mkdtempSync(join(tmpdir(), 'kyso-trust-'));
  env = { home, configDir: join(home, '.config', 'kyso-bridge') };
  mkdirSync(join(home, '.mozilla', 'firefox', 'abcd1234.default-release'), { recursive: true });
  mkdirSync(join(home, '.mozilla', 'firefox', 'zzzz.other'), { recursive: true }); // not a default profile
});

describe('trust on NSS databases', () => {
  it('install refuses politely when the bridge has no CA yet', () => {
    expect(() => trustInstall(env)).toThrow(TrustError);
    try { trustInstall(env); } catch (e) { expect((e as TrustError).vi).toContain('khởi động kyso-bridge'); }
  });

  it('creates ~/.pki/nssdb and the Firefox profile db, adds the CA as "C,,", reports status, removes', () => {
    useCa('root-national');
    expect(trustStatus(env).databases.map((d) => d.state)).toEqual(['no-db', 'no-db']);

    const installed = trustInstall(env);
    expect(installed.databases.map((d) => [d.kind, d.state])).toEqual([['nss', 'installed'], ['firefox', 'installed']]);
    expect(installed.databases[0].action).toBe('created-db,added');
    const nssdb = join(env.home, '.pki', 'nssdb');
    expect(existsSync(join(nssdb, 'cert9.db'))).toBe(true);
    expect(listing(nssdb)).toMatch(new RegExp(`${TRUST_NICKNAME}\\s+C,,`));
    expect(listing(join(env.home, '.mozilla', 'firefox', 'abcd1234.default-release'))).toContain(TRUST_NICKNAME);

    // Idempotent.
    expect(trustInstall(env).databases.every((d) => d.action === 'unchanged')).toBe(true);

    // A renewed CA makes the old entry outdated; install replaces it.
    useCa('root-gov');
    expect(trustStatus(env).databases.every((d) => d.state === 'outdated')).toBe(true);
    expect(trustInstall(env).databases.map((d) => d.action)).toEqual(['replaced', 'replaced']);
    expect(trustStatus(env).databases.every((d) => d.state === 'installed')).toBe(true);
    expect(listing(nssdb).split(TRUST_NICKNAME).length - 1).toBe(1);

    const removed = trustRemove(env);
    expect(removed.databases.map((d) => [d.state, d.action])).toEqual([['missing', 'removed'], ['missing', 'removed']]);
    expect(listing(nssdb)).not.toContain(TRUST_NICKNAME);
  });

  it('prints macOS and Windows steps with the CA path, each only on its own OS', () => {
    const steps = manualSteps('/x/ca.pem', 'kyso-bridge CA');
    expect(steps.macos.join('\n')).toContain('security add-trusted-cert -r trustRoot -p ssl -k ~/Library/Keychains/login.keychain-db "/x/ca.pem"');
    expect(steps.windows.join('\n')).toContain('certutil -user -addstore Root "/x/ca.pem"');
    expect(stepsForPlatform(steps, 'linux')).toBeUndefined();
    expect(stepsForPlatform(steps, 'darwin')).toEqual({ os: 'macos', lines: steps.macos });
    expect(stepsForPlatform(steps, 'win32')).toEqual({ os: 'windows', lines: steps.windows });
  });

  it('a trusted kyso-bridge CA without a CA file is "orphan", never "trusted" next to "CA missing"', () => {
    useCa('root-national');
    trustInstall(env);
    rmSync(join(env.configDir, 'tls', 'ca.pem'));
    const report = trustStatus(env);
    expect(report.caPresent).toBe(false);
    expect(report.databases.map((d) => d.state)).toEqual(['orphan', 'orphan']);
    const text = formatReport(report, 'status');
    expect(text).toContain('(chưa có / missing)');
    expect(text).not.toContain('đã tin cậy / trusted');
  });

  it('the CLI command honours KYSO_CONFIG_DIR and HOME, with --json', async () => {
    useCa('root-national');
    const saved = { HOME: process.env.HOME, KYSO_CONFIG_DIR: process.env.KYSO_CONFIG_DIR };
    process.env.HOME = env.home;
    process.env.KYSO_CONFIG_DIR = env.configDir;
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    try {
      const program = new Command('kyso-bridge').exitOverride();
      registerTrust(program);
      await program.parseAsync(['node', 'kyso-bridge', 'trust', 'install']);
      expect(out.join('')).toContain('đã tin cậy / trusted');
      // On Linux only the Linux result: no macOS/Windows commands.
      expect(out.join('')).not.toContain('certutil -user -addstore Root');
      expect(out.join('')).not.toContain('security add-trusted-cert');
      out.length = 0;
      await program.parseAsync(['node', 'kyso-bridge', 'trust', 'status', '--json']);
      const report = JSON.parse(out.join(''));
      expect(report.caFile).toBe(join(env.configDir, 'tls', 'ca.pem'));
      expect(report.databases.map((d: { state: string }) => d.state)).toEqual(['installed', 'installed']);
      expect(report.manualSteps).toEqual({});
    } finally {
      spy.mockRestore();
      process.env.HOME = saved.HOME;
      if (saved.KYSO_CONFIG_DIR === undefined) delete process.env.KYSO_CONFIG_DIR; else process.env.KYSO_CONFIG_DIR = saved.KYSO_CONFIG_DIR;
    }
  });
});
