// Default challenge store: SQLite via better-sqlite3. One file can be shared by several portal
// processes on a host (WAL mode); ':memory:' gives a private in-process database.
import Database from 'better-sqlite3';
import type { ChallengeRecord, ChallengeStore } from './store.js';

interface Row { nonce: string; session_key: string; created_at: number; expires_at: number; consumed_at: number | null }

export class SqliteChallengeStore implements ChallengeStore {
  private readonly db: Database.Database;

  constructor(opts: { file?: string } = {}) {
    this.db = new Database(opts.file ?? ':memory:');
    if (opts.file && opts.file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kyso_challenges (
        nonce TEXT PRIMARY KEY, session_key TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, consumed_at INTEGER);
      CREATE INDEX IF NOT EXISTS kyso_challenges_session ON kyso_challenges (session_key);
      CREATE TABLE IF NOT EXISTS kyso_used_tokens (key TEXT PRIMARY KEY, used_at INTEGER NOT NULL);`);
  }

  add(record: Omit<ChallengeRecord, 'consumedAt'>, maxOutstanding: number): void {
    const tx = this.db.transaction(() => {
      this.db.prepare('INSERT INTO kyso_challenges (nonce, session_key, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(record.nonce, record.sessionKey, record.createdAt, record.expiresAt);
      // Bounds the signature checks one verification may cost.
      this.db.prepare(`DELETE FROM kyso_challenges WHERE nonce IN (
          SELECT nonce FROM kyso_challenges WHERE session_key = ? AND consumed_at IS NULL
          ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?)`).run(record.sessionKey, maxOutstanding);
    });
    tx();
  }

  forSession(sessionKey: string): ChallengeRecord[] {
    const rows = this.db.prepare('SELECT * FROM kyso_challenges WHERE session_key = ? ORDER BY created_at, rowid')
      .all(sessionKey) as Row[];
    return rows.map((r) => ({
      nonce: r.nonce, sessionKey: r.session_key, createdAt: r.created_at, expiresAt: r.expires_at, consumedAt: r.consumed_at,
    }));
  }

  consume(nonce: string, sessionKey: string, at: number): boolean {
    const res = this.db.prepare(`UPDATE kyso_challenges SET consumed_at = ?
        WHERE nonce = ? AND session_key = ? AND consumed_at IS NULL AND expires_at > ?`).run(at, nonce, sessionKey, at);
    return res.changes === 1;
  }

  isTokenUsed(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM kyso_used_tokens WHERE key = ?').get(key) !== undefined;
  }

  markTokenUsed(key: string, at: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO kyso_used_tokens (key, used_at) VALUES (?, ?)').run(key, at).changes === 1;
  }

  prune(before: number): void {
    this.db.prepare('DELETE FROM kyso_challenges WHERE max(expires_at, coalesce(consumed_at, 0)) < ?').run(before);
    this.db.prepare('DELETE FROM kyso_used_tokens WHERE used_at < ?').run(before);
  }

  close(): void {
    this.db.close();
  }
}
