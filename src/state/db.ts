// The daemon's SQLite state, <configDir>/state.sqlite. WAL so the CLI can read (and revoke)
// while the daemon runs; the directory is private because allowed origins decide who may ask
// for signatures.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.js';

export type StateDb = Database.Database;

export const STATE_FILE = 'state.sqlite';

/** Open (creating if needed) the state database in a config directory. */
export function openStateDb(configDir: string): StateDb {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = join(configDir, STATE_FILE);
  // Created private before SQLite opens it: SQLite gives the -wal and -shm files the database
  // file's mode, so they are born 0600 too. Files left by older versions are tightened.
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  const db = openDatabase(file);
  for (const f of [`${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  return db;
}

/** Open a database file (or ':memory:') and bring its schema up to date. */
export function openDatabase(file: string, migrations: Migration[] = MIGRATIONS): StateDb {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export function migrate(db: StateDb, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const done: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    // Each migration and its record commit together: a crash never leaves half a schema.
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }).immediate();
    done.push(m.version);
  }
  return done;
}
