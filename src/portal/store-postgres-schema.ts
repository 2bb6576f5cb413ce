// The PostgreSQL schema of the challenge store, versioned. Applied on first use by every process;
// a transaction-scoped advisory lock makes concurrent first uses wait for one another.
import type pg from 'pg';

/** Advisory lock id of schema changes ("kysomigr"). */
const MIGRATION_LOCK = 0x6b79736f6d696772n;

/** Each entry upgrades the schema by one version; never edit a released one, append. */
const MIGRATIONS: string[] = [
  `CREATE TABLE kyso_challenges (
     nonce text PRIMARY KEY,
     session_key text NOT NULL,
     created_at bigint NOT NULL,
     expires_at bigint NOT NULL,
     consumed_at bigint,
     seq bigserial NOT NULL);
   CREATE INDEX kyso_challenges_session ON kyso_challenges (session_key, created_at);
   CREATE INDEX kyso_challenges_expiry ON kyso_challenges (expires_at);
   CREATE TABLE kyso_used_tokens (key text PRIMARY KEY, used_at bigint NOT NULL);
   CREATE INDEX kyso_used_tokens_time ON kyso_used_tokens (used_at);
   -- Insert and trim to the cap under a per-session lock: two portal processes adding for one
   -- session at once cannot both fit under it.
   CREATE FUNCTION kyso_add_challenge(p_nonce text, p_session text, p_created bigint, p_expires bigint, p_max int)
   RETURNS void LANGUAGE plpgsql AS $$
   BEGIN
     PERFORM pg_advisory_xact_lock(hashtextextended(p_session, 0));
     INSERT INTO kyso_challenges (nonce, session_key, created_at, expires_at) VALUES (p_nonce, p_session, p_created, p_expires);
     DELETE FROM kyso_challenges WHERE nonce IN (
       SELECT nonce FROM kyso_challenges WHERE session_key = p_session AND consumed_at IS NULL
       ORDER BY created_at DESC, seq DESC OFFSET p_max);
   END $$;`,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS kyso_schema_version (version int NOT NULL)');
    const { rows } = await client.query('SELECT max(version) AS v FROM kyso_schema_version');
    const current = Number(rows[0]?.v ?? 0);
    for (let v = current; v < MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v]);
      await client.query('INSERT INTO kyso_schema_version (version) VALUES ($1)', [v + 1]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
