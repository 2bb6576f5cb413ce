// `kyso-bridge origins list|revoke` run in-process through commander.
import { Command } from 'commander';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerOrigins } from '../src/cli/origins.js';
import { openStateDb } from '../src/state/db.js';
import { OriginStore } from '../src/state/origins.js';

let out = '';
let err = '';
const savedEnv = { ...process.env };

beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
  process.exitCode = undefined;
});

async function run(...args: string[]): Promise<void> {
  const program = new Command('kyso-bridge').exitOverride();
  registerOrigins(program);
  await program.parseAsync(['node', 'kyso-bridge', ...args]);
}

function seed(dir: string): void {
  const db = openStateDb(dir);
  const s = new OriginStore(db);
  s.allow('https://dichvucong.gov.vn');
  s.deny('https://evil.example');
  db.close();
}

describe('kyso-bridge origins', () => {
  it('list --json reads <KYSO_CONFIG_DIR>/state.sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    process.env.KYSO_CONFIG_DIR = dir;
    seed(dir);
    await run('origins', 'list', '--json');
    const entries = JSON.parse(out) as { origin: string; decision: string; source: string }[];
    expect(entries.map((e) => [e.origin, e.decision, e.source])).toEqual([
      ['https://dichvucong.gov.vn', 'allowed', 'user'],
      ['https://evil.example', 'denied', 'user'],
    ]);
  });

  it('list prints a bilingual table, and an empty-state message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    process.env.KYSO_CONFIG_DIR = dir;
    await run('origins', 'list');
    expect(out).toContain('No website decisions yet');
    seed(dir);
    out = '';
    await run('origins', 'list');
    expect(out).toContain('Trang web / Origin');
    expect(out).toMatch(/https:\/\/evil\.example\s+từ chối \/ denied/);
  });

  it('--config FILE picks the directory and its allowOrigins; XDG_CONFIG_HOME is the default', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'kyso-xdg-'));
    delete process.env.KYSO_CONFIG_DIR;
    process.env.XDG_CONFIG_HOME = xdg;
    await run('origins', 'list', '--json');
    expect(existsSync(join(xdg, 'kyso-bridge', 'state.sqlite'))).toBe(true);

    const other = join(mkdtempSync(join(tmpdir(), 'kyso-cfg-')), 'conf');
    mkdirSync(other);
    writeFileSync(join(other, 'config.json'), JSON.stringify({ allowOrigins: ['https://ThueDienTu.gdt.gov.vn/'] }));
    out = '';
    await run('origins', 'list', '--json', '--config', join(other, 'config.json'));
    expect(JSON.parse(out)).toMatchObject([{ origin: 'https://thuedientu.gdt.gov.vn', decision: 'allowed', source: 'config' }]);

    out = '';
    await run('origins', 'revoke', 'https://thuedientu.gdt.gov.vn', '--config', join(other, 'config.json'));
    expect(out).toContain('Đã thu hồi');
    expect(err).toContain('allowOrigins'); // it comes back from the config unless removed there
  });

  it('revoke removes a decision; unknown origin sets exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    process.env.KYSO_CONFIG_DIR = dir;
    seed(dir);
    await run('origins', 'revoke', 'DICHVUCONG.gov.vn');
    expect(out).toContain('Revoked https://dichvucong.gov.vn');
    expect(process.exitCode ?? 0).toBe(0);
    await run('origins', 'revoke', 'https://dichvucong.gov.vn');
    expect(err).toContain('is not in the list');
    expect(process.exitCode).toBe(1);
    const db = openStateDb(dir);
    expect(new OriginStore(db).list().map((e) => e.origin)).toEqual(['https://evil.example']);
    db.close();
  });

  it('revoke of something that is not an origin is INVALID_PARAMS', async () => {
    process.env.KYSO_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    await expect(run('origins', 'revoke', 'file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});
