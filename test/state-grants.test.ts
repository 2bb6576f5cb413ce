// SQLite state: migrations (v1 origins → v2 grants), file modes, and the grant store.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKysoError } from '../src/errors.js';
import { normalizeOrigin, parseOriginArg } from '../src/origin.js';
import { migrate, openDatabase, openStateDb } from '../src/state/db.js';
import { SqliteGrantStore } from '../src/state/grants.js';
import { MIGRATIONS } from '../src/state/migrations.js';

describe('state database', () => {
  it('creates <configDir>/state.sqlite in WAL mode; the database, -wal and -shm files are all 0600', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kyso-state-')), 'kyso-bridge');
    const db = openStateDb(dir);
    new SqliteGrantStore(db).set('https://a.example', ['login'], 'allowed', 'dialog'); // a write: the WAL exists now
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    for (const f of ['state.sqlite', 'state.sqlite-wal', 'state.sqlite-shm']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
      expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }]);
    expect(migrate(db)).toEqual([]); // idempotent
    db.close();
  });

  it('a failing migration leaves nothing half-applied', () => {
    const db = openDatabase(':memory:');
    expect(() => migrate(db, [{ version: 99, name: 'bad', sql: 'CREATE TABLE t (x INTEGER); SELECT * FROM nope;' }])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 2 });
  });

  it('v2 turns an old "allowed" into login + sign-documents, never sign-raw; a denial stays a denial', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version === 1));
    const add = db.prepare('INSERT INTO origins (origin, decision, decided_at, source) VALUES (?, ?, ?, ?)');
    add.run('https://a.example', 'allowed', '2026-01-01T00:00:00.000Z', 'user');
    add.run('https://b.example', 'denied', '2026-01-02T00:00:00.000Z', 'user');
    add.run('https://c.example', 'allowed', '2026-01-03T00:00:00.000Z', 'config');
    migrate(db);
    const store = new SqliteGrantStore(db);
    expect(store.list()).toEqual([
      { origin: 'https://a.example', grants: ['login', 'sign-documents'], denied: [], source: 'dialog', updatedAt: '2026-01-01T00:00:00.000Z' },
      { origin: 'https://b.example', grants: [], denied: ['login', 'sign-documents'], source: 'dialog', updatedAt: '2026-01-02T00:00:00.000Z' },
      { origin: 'https://c.example', grants: ['login', 'sign-documents'], denied: [], source: 'config', updatedAt: '2026-01-03T00:00:00.000Z' },
    ]);
  });
});

describe('normalizeOrigin', () => {
  it('lower-cases, drops default ports and paths, keeps other ports', () => {
    expect(normalizeOrigin('HTTPS://DichVuCong.GOV.vn:443/a/b?c#d')).toBe('https://dichvucong.gov.vn');
    expect(normalizeOrigin('http://localhost:80')).toBe('http://localhost');
    expect(normalizeOrigin('https://portal.example.vn:8443/')).toBe('https://portal.example.vn:8443');
    expect(parseOriginArg('thuedientu.gdt.gov.vn')).toBe('https://thuedientu.gdt.gov.vn');
    expect(parseOriginArg('http://localhost:8080')).toBe('http://localhost:8080');
    expect(() => normalizeOrigin('thuedientu.gdt.gov.vn')).toThrow(); // headers must carry a scheme
    expect(normalizeOrigin('https://[::1]:9000')).toBe('https://[::1]:9000');
    expect(normalizeOrigin('https://xn--dchvcng-uxa.vn')).toBe('https://xn--dchvcng-uxa.vn');
  });
  it('refuses what is not an http(s) origin', () => {
    for (const bad of ['', 'null', 'file:///etc/passwd', 'chrome-extension://abcdef', 'javascript:alert(1)', 'https://', 'https://a b']) {
      expect(() => normalizeOrigin(bad), bad).toThrow();
    }
    let caught: unknown;
    try { normalizeOrigin('ftp://x'); } catch (e) { caught = e; }
    expect(isKysoError(caught, 'INVALID_PARAMS')).toBe(true);
  });
});

describe('SqliteGrantStore', () => {
  it('keeps one decision per origin and grant; revoke forgets dialog decisions, one grant or all', () => {
    const store = new SqliteGrantStore(openDatabase(':memory:'));
    expect(store.get('https://a.example', 'login')).toBeUndefined();
    store.set('https://A.example/x', ['login', 'sign-documents'], 'allowed', 'dialog');
    store.set('https://a.example', ['sign-raw'], 'denied', 'dialog');
    expect(store.get('https://a.example', 'login')).toMatchObject({ decision: 'allowed', source: 'dialog' });
    expect(store.get('https://a.example', 'sign-raw')).toMatchObject({ decision: 'denied' });
    expect(store.list()).toMatchObject([{ origin: 'https://a.example', grants: ['login', 'sign-documents'], denied: ['sign-raw'], source: 'dialog' }]);
    expect(store.revoke('https://a.example', 'sign-raw')).toBe(1);
    expect(store.get('https://a.example', 'sign-raw')).toBeUndefined();
    expect(store.get('https://a.example', 'login')?.decision).toBe('allowed');
    expect(store.revoke('https://a.example')).toBe(2);
    expect(store.list()).toEqual([]);
  });

  it('config lists: allowOrigins → login + sign-documents, rawSigningOrigins → all three; a user decision is kept', () => {
    const store = new SqliteGrantStore(openDatabase(':memory:'));
    store.set('https://b.example', ['login'], 'denied', 'dialog');
    store.syncConfig(['https://a.example', 'https://b.example'], ['https://raw.example']);
    expect(store.list(['https://dichvucong.gov.vn'])).toMatchObject([
      { origin: 'https://a.example', grants: ['login', 'sign-documents'], denied: [], source: 'config' },
      { origin: 'https://b.example', grants: ['sign-documents'], denied: ['login'], source: 'config' },
      { origin: 'https://dichvucong.gov.vn', grants: ['login', 'sign-documents', 'sign-raw'], denied: [], source: 'builtin', updatedAt: null },
      { origin: 'https://raw.example', grants: ['login', 'sign-documents', 'sign-raw'], source: 'config' },
    ]);
    store.syncConfig([], []);
    expect(store.list().map((e) => e.origin)).toEqual(['https://b.example']);
    expect(store.revoke('https://a.example')).toBe(0); // config rows are the config file's to change
  });
});
