// SQLite state: migrations, WAL, and the origin decisions store.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, openStateDb } from '../src/state/db.js';
import { OriginStore, normalizeOrigin, parseOriginArg } from '../src/state/origins.js';
import { isKysoError } from '../src/errors.js';

describe('state database', () => {
  it('creates <configDir>/state.sqlite in WAL mode, private, with the migrations recorded once', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'kyso-state-')), 'kyso-bridge');
    const db = openStateDb(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(statSync(join(dir, 'state.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const versions = db.prepare('SELECT version FROM schema_migrations').all();
    expect(versions).toEqual([{ version: 1 }]);
    expect(migrate(db)).toEqual([]); // idempotent
    db.close();
    const again = openStateDb(dir);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    again.close();
  });

  it('a failing migration leaves nothing half-applied', () => {
    const db = openDatabase(':memory:');
    expect(() => migrate(db, [{ version: 2, name: 'bad', sql: 'CREATE TABLE t (x INTEGER); SELECT * FROM nope;' }])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
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
    try {
      normalizeOrigin('ftp://x');
    } catch (e) {
      expect(isKysoError(e, 'INVALID_PARAMS')).toBe(true);
    }
  });
});

describe('OriginStore', () => {
  it('allow, deny, get, list, revoke — by normalized origin', () => {
    const store = new OriginStore(openDatabase(':memory:'));
    expect(store.get('https://dichvucong.gov.vn')).toBeUndefined();
    expect(store.isAllowed('https://dichvucong.gov.vn')).toBeUndefined();
    const a = store.allow('HTTPS://DichVuCong.gov.vn:443');
    expect(a).toMatchObject({ origin: 'https://dichvucong.gov.vn', decision: 'allowed', source: 'user' });
    expect(Date.parse(a.decidedAt)).not.toBeNaN();
    store.deny('https://evil.example/login');
    store.allow('https://thuedientu.gdt.gov.vn', 'default');
    expect(store.isAllowed('https://dichvucong.gov.vn/x')).toBe(true);
    expect(store.isAllowed('https://evil.example')).toBe(false);
    expect(store.list().map((e) => [e.origin, e.decision, e.source])).toEqual([
      ['https://dichvucong.gov.vn', 'allowed', 'user'],
      ['https://evil.example', 'denied', 'user'],
      ['https://thuedientu.gdt.gov.vn', 'allowed', 'default'],
    ]);
    // A later decision replaces the earlier one.
    store.allow('https://evil.example');
    expect(store.get('https://evil.example')?.decision).toBe('allowed');
    expect(store.revoke('https://EVIL.example:443')).toBe(true);
    expect(store.revoke('https://evil.example')).toBe(false);
    expect(store.get('https://evil.example')).toBeUndefined();
  });

  it('syncConfig: config origins allowed, dropped ones forgotten, user decisions kept', () => {
    const store = new OriginStore(openDatabase(':memory:'));
    store.deny('https://b.gov.vn');
    store.syncConfig(['https://a.gov.vn', 'https://b.gov.vn', 'https://c.gov.vn']);
    const firstA = store.get('https://a.gov.vn');
    expect(firstA).toMatchObject({ decision: 'allowed', source: 'config' });
    expect(store.get('https://b.gov.vn')).toMatchObject({ decision: 'denied', source: 'user' });
    store.syncConfig(['https://a.gov.vn']);
    expect(store.get('https://a.gov.vn')?.decidedAt).toBe(firstA?.decidedAt);
    expect(store.get('https://c.gov.vn')).toBeUndefined();
    expect(store.get('https://b.gov.vn')?.source).toBe('user');
  });

  it('persists across opens and is visible to a second connection (daemon + CLI)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-state-'));
    const daemon = openStateDb(dir);
    const cli = openStateDb(dir);
    new OriginStore(daemon).allow('https://dichvucong.gov.vn');
    expect(new OriginStore(cli).revoke('https://dichvucong.gov.vn')).toBe(true);
    expect(new OriginStore(daemon).get('https://dichvucong.gov.vn')).toBeUndefined();
    daemon.close();
    cli.close();
  });
});
