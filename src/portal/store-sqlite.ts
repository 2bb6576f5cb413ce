// SQLite via better-sqlite3: the embedded default. One file can be shared by several portal
// processes on a host (WAL mode, busy timeout); ':memory:' gives a private in-process database.
// Loaded only when used (createChallengeStore('sqlite:…') imports this module on demand).
import Database from 'better-sqlite3';
import { CleanupTimer } from './cleanup.js';
import type { ChallengeRecord, ChallengeStore, NewChallenge, StoreOptions } from './store.js';

interface Row { nonce: string; session_key: string; created_at: number; expires_at: number; consumed_at: number | null }

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS kyso_challenges (
    nonce TEXT PRIMARY KEY, session_key TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, consumed_at INTEGER);
  CREATE INDEX IF NOT EXISTS kyso_challenges_session ON kyso_challenges (session_key);
  CREATE INDEX IF NOT EXISTS kyso_challenges_expiry ON kyso_challenges (expires_at);
  CREATE TABLE IF NOT EXISTS kyso_used_tokens (key TEXT PRIMARY KEY, used_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS kyso_used_tokens_time ON kyso_used_tokens (used_at);`;

export class SqliteChallengeStore implements ChallengeStore {
  private readonly db: Database.Database;
  private readonly cleanup: CleanupTimer;
  private readonly stmt: Record<'insert' | 'trim' | 'session' | 'consume' | 'used' | 'mark' | 'pruneC' | 'pruneT', Database.Statement>;
  private readonly addTx: (record: NewChallenge, max: number) => void;

  constructor(opts: { file?: string } & StoreOptions = {}) {
    this.db = new Database(opts.file ?? ':memory:', { timeout: 5_000 });
    if (opts.file && opts.file !== ':memory:') {
      this.db.pragma('journal_mode = WAL');
      // Every acceptance is on disk before the answer: a crash cannot make a used nonce new again.
      this.db.pragma('synchronous = FULL');
    }
    this.db.exec(SCHEMA);
    this.stmt = {
      insert: this.db.prepare('INSERT INTO kyso_challenges (nonce, session_key, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      // Bounds the signature checks one verification may cost.
      trim: this.db.prepare(`DELETE FROM kyso_challenges WHERE nonce IN (
          SELECT nonce FROM kyso_challenges WHERE session_key = ? AND consumed_at IS NULL
          ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`),
      session: this.db.prepare('SELECT * FROM kyso_challenges WHERE session_key = ? ORDER BY created_at, rowid'),
      consume: this.db.prepare(`UPDATE kyso_challenges SET consumed_at = ?
          WHERE nonce = ? AND session_key = ? AND consumed_at IS NULL AND expires_at > ?`),
      used: this.db.prepare('SELECT 1 FROM kyso_used_tokens WHERE key = ?'),
      mark: this.db.prepare('INSERT OR IGNORE INTO kyso_used_tokens (key, used_at) VALUES (?, ?)'),
      // consumed_at is always before expires_at, so the expiry index alone finds what ended.
      pruneC: this.db.prepare('DELETE FROM kyso_challenges WHERE expires_at < ?'),
      pruneT: this.db.prepare('DELETE FROM kyso_used_tokens WHERE used_at < ?'),
    };
    // IMMEDIATE: the write lock is taken before counting, so two processes cannot both fit under the cap.
    const tx = this.db.transaction((r: NewChallenge, max: number) => {
      this.stmt.insert.run(r.nonce, r.sessionKey, r.createdAt, r.expiresAt);
      this.stmt.trim.run(r.sessionKey, max);
    });
    this.addTx = (r, max) => tx.immediate(r, max);
    this.cleanup = new CleanupTimer((before) => this.prune(before), opts);
  }

  add(record: NewChallenge, maxOutstanding: number): void {
    this.addTx(record, maxOutstanding);
  }

  forSession(sessionKey: string): ChallengeRecord[] {
    return (this.stmt.session.all(sessionKey) as Row[]).map((r) => ({
      nonce: r.nonce, sessionKey: r.session_key, createdAt: r.created_at, expiresAt: r.expires_at, consumedAt: r.consumed_at,
    }));
  }

  consume(nonce: string, sessionKey: string, at: number): boolean {
    return this.stmt.consume.run(at, nonce, sessionKey, at).changes === 1;
  }

  isTokenUsed(key: string): boolean {
    return this.stmt.used.get(key) !== undefined;
  }

  markTokenUsed(key: string, at: number): boolean {
    return this.stmt.mark.run(key, at).changes === 1;
  }

  prune(before: number): void {
    this.stmt.pruneC.run(before);
    this.stmt.pruneT.run(before);
  }

  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  close(): void {
    this.cleanup.stop();
    if (this.db.open) this.db.close();
  }
}
