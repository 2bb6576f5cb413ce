// `kyso-bridge origins list|revoke` run in-process through commander.
import { Command } from 'commander';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerOrigins } from '../src/cli/origins.js';
import { openStateDb } from '../src/state/db.js';
import { SqliteGrantStore } from '../src/state/grants.js';

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
  const s = new SqliteGrantStore(db);
  s.set('https://portal.example', ['login', 'sign-documents'], 'allowed', 'dialog');
  s.set('https://portal.example', ['sign-raw'], 'denied', 'dialog');
  s.set('https://evil.example', ['login', 'sign-documents'], 'denied', 'dialog');
  db.close();
}

describe('kyso-bridge origins', () => {
  it('list --json reads <KYSO_CONFIG_DIR>/state.sqlite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    process.env.KYSO_CONFIG_DIR = dir;
    seed(dir);
    await run('origins', 'list', '--json');
    const entries = JSON.parse(out) as { origin: string; grants: string[]; denied: string[]; source: string; updatedAt: string | null }[];
    expect(entries.map((e) => [e.origin, e.grants, e.denied, e.source])).toEqual([
      ['https://dichvucong.bocongan.gov.vn', ['login', 'sign-documents', 'sign-raw'], [], 'builtin'],
      ['https://dichvucong.gov.vn', ['login', 'sign-documents', 'sign-raw'], [], 'builtin'],
      ['https://evil.example', [], ['login', 'sign-documents'], 'dialog'],
      ['https://portal.example', ['login', 'sign-documents'], ['sign-raw'], 'dialog'],
    ]);
    expect(entries[3]!.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('list prints a bilingual table of grants and refusals', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    process.env.KYSO_CONFIG_DIR = dir;
    seed(dir);
    await run('origins', 'list');
    expect(out).toContain('Trang web / Origin');
    expect(out).toMatch(/https:\/\/evil\.example\s+—\s+đăng nhập \/ login, ký văn bản \/ sign documents/);
    expect(out).toMatch(/https:\/\/dichvucong\.gov\.vn .*ký dữ liệu không xem được \/ sign raw data.*mặc định \/ built-in/);
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
    expect((JSON.parse(out) as { origin: string }[]).find((e) => e.origin === 'https://thuedientu.gdt.gov.vn'))
      .toMatchObject({ grants: ['login', 'sign-documents'], denied: [], source: 'config' });

    out = '';
    await run('origins', 'revoke', 'https://thuedientu.gdt.gov.vn', '--config', join(other, 'config.json'));
    expect(err).toContain('config'); // it comes from the config file: change it there
    expect(process.exitCode).toBe(1);
  });

  it('revoke removes a decision; unknown origin sets exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    process.env.KYSO_CONFIG_DIR = dir;
    seed(dir);
    await run('origins', 'revoke', 'PORTAL.example', '--grant', 'sign-raw');
    expect(out).toContain('Revoked https://portal.example');
    expect(process.exitCode ?? 0).toBe(0);
    let db = openStateDb(dir);
    expect(new SqliteGrantStore(db).list().find((e) => e.origin === 'https://portal.example')).toMatchObject({ grants: ['login', 'sign-documents'], denied: [] });
    db.close();
    await run('origins', 'revoke', 'https://portal.example');
    await run('origins', 'revoke', 'https://portal.example');
    expect(err).toContain('is not in the list');
    expect(process.exitCode).toBe(1);
    db = openStateDb(dir);
    expect(new SqliteGrantStore(db).list().map((e) => e.origin)).toEqual(['https://evil.example']);
    db.close();
    await expect(run('origins', 'revoke', 'https://evil.example', '--grant', 'everything')).rejects.toThrow(/--grant/);
  });

  it('revoke of something that is not an origin is INVALID_PARAMS', async () => {
    process.env.KYSO_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'kyso-cli-'));
    await expect(run('origins', 'revoke', 'file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });
});
