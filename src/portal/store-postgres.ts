// PostgreSQL via `pg`: several portal processes and machines share one database. Single use is
// the database's: consume is a conditional UPDATE, markTokenUsed an INSERT … ON CONFLICT DO
// NOTHING, and the per-session cap runs under a per-session advisory lock in one function call.
// The schema is created on first use (or by `migrate()`); expired rows go by an index and a
// periodic DELETE, not per request. Durability needs synchronous_commit on (the default).
import pg from 'pg';
import { CleanupTimer } from './cleanup.js';
import { migratePostgres } from './store-postgres-schema.js';
import type { ChallengeRecord, ChallengeStore, NewChallenge, StoreOptions } from './store.js';

export interface PostgresStoreOptions extends StoreOptions {
  /** postgres://user:pass@host:5432/db, or postgres://user@/db?host=/run/postgresql for a unix socket. */
  connectionString: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** A query or connection attempt that takes longer fails (default 5 s): the caller answers 503, not a hang. */
  timeoutMs?: number;
}

const Q = {
  add: { name: 'kyso_add', text: 'SELECT kyso_add_challenge($1, $2, $3, $4, $5)' },
  session: {
    name: 'kyso_session',
    text: 'SELECT nonce, session_key, created_at, expires_at, consumed_at FROM kyso_challenges WHERE session_key = $1 ORDER BY created_at, seq',
  },
  consume: {
    name: 'kyso_consume',
    text: `UPDATE kyso_challenges SET consumed_at = $3
           WHERE nonce = $1 AND session_key = $2 AND consumed_at IS NULL AND expires_at > $3`,
  },
  used: { name: 'kyso_used', text: 'SELECT 1 FROM kyso_used_tokens WHERE key = $1' },
  mark: { name: 'kyso_mark', text: 'INSERT INTO kyso_used_tokens (key, used_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING' },
};

interface Row { nonce: string; session_key: string; created_at: string; expires_at: string; consumed_at: string | null }

export class PostgresChallengeStore implements ChallengeStore {
  private readonly pool: pg.Pool;
  private readonly cleanup: CleanupTimer;
  private migrated?: Promise<void>;

  constructor(opts: PostgresStoreOptions) {
    const timeout = opts.timeoutMs ?? 5_000;
    this.pool = new pg.Pool({
      connectionString: opts.connectionString, max: opts.poolSize ?? 10,
      connectionTimeoutMillis: timeout, query_timeout: timeout, idleTimeoutMillis: 30_000,
    });
    // A server restart kills idle connections: the pool drops them and opens new ones on demand.
    this.pool.on('error', () => undefined);
    this.cleanup = new CleanupTimer((before) => this.prune(before), opts);
  }

  /** Creates or upgrades the schema (idempotent, safe from many processes at once). */
  migrate(): Promise<void> {
    this.migrated ??= migratePostgres(this.pool).catch((e: unknown) => {
      this.migrated = undefined; // the next call tries again (the server may have been down)
      throw e;
    });
    return this.migrated;
  }

  private async query(q: { name: string; text: string }, values: unknown[]): Promise<pg.QueryResult> {
    await this.migrate();
    return this.pool.query({ ...q, values });
  }

  async add(record: NewChallenge, maxOutstanding: number): Promise<void> {
    await this.query(Q.add, [record.nonce, record.sessionKey, record.createdAt, record.expiresAt, maxOutstanding]);
  }

  async forSession(sessionKey: string): Promise<ChallengeRecord[]> {
    const { rows } = await this.query(Q.session, [sessionKey]);
    return (rows as Row[]).map((r) => ({
      nonce: r.nonce, sessionKey: r.session_key, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at),
      consumedAt: r.consumed_at === null ? null : Number(r.consumed_at),
    }));
  }

  async consume(nonce: string, sessionKey: string, at: number): Promise<boolean> {
    return (await this.query(Q.consume, [nonce, sessionKey, at])).rowCount === 1;
  }

  async isTokenUsed(key: string): Promise<boolean> {
    return (await this.query(Q.used, [key])).rowCount === 1;
  }

  async markTokenUsed(key: string, at: number): Promise<boolean> {
    return (await this.query(Q.mark, [key, at])).rowCount === 1;
  }

  /** consumed_at is always before expires_at, so the expiry index alone finds what ended. */
  async prune(before: number): Promise<void> {
    await this.migrate();
    await this.pool.query('DELETE FROM kyso_challenges WHERE expires_at < $1', [before]);
    await this.pool.query('DELETE FROM kyso_used_tokens WHERE used_at < $1', [before]);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.cleanup.stop();
    await this.pool.end();
  }
}
