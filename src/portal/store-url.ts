// createChallengeStore(url): the store chosen by URL, its driver loaded only then (a Redis user
// never loads better-sqlite3, an SQLite user never loads pg or ioredis).
import type { ChallengeStore, StoreOptions } from './store.js';

export interface CreateStoreOptions extends StoreOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** Per-command timeout for PostgreSQL and Redis (default 5 s). */
  timeoutMs?: number;
  /** Redis key prefix (default "kyso:"). */
  prefix?: string;
}

/** The SQLite file named by sqlite:/abs/path, sqlite:///abs/path, sqlite:relative or sqlite::memory:. */
export function sqliteFileOf(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === '' || rest === ':memory:') return ':memory:';
  return decodeURIComponent(rest.startsWith('//') ? rest.slice(2) : rest);
}

/**
 * "memory:" (one process), "sqlite:/var/lib/portal/challenges.db" (processes on one machine),
 * "postgres://…" / "postgresql://…", "redis://…" / "rediss://…" / "redis+unix:///path.sock"
 * (any number of machines). With no URL: a memory store, for a single process.
 */
export async function createChallengeStore(url = 'memory:', opts: CreateStoreOptions = {}): Promise<ChallengeStore> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const common: StoreOptions = {
    ...(opts.retentionMs !== undefined ? { retentionMs: opts.retentionMs } : {}),
    ...(opts.cleanupIntervalMs !== undefined ? { cleanupIntervalMs: opts.cleanupIntervalMs } : {}),
  };
  switch (scheme) {
    case 'memory': {
      const { MemoryChallengeStore } = await import('./store-memory.js');
      return new MemoryChallengeStore(common);
    }
    case 'sqlite': {
      const { SqliteChallengeStore } = await import('./store-sqlite.js');
      return new SqliteChallengeStore({ ...common, file: sqliteFileOf(url) });
    }
    case 'postgres':
    case 'postgresql': {
      const { PostgresChallengeStore } = await import('./store-postgres.js');
      return new PostgresChallengeStore({
        ...common, connectionString: url,
        ...(opts.poolSize !== undefined ? { poolSize: opts.poolSize } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      });
    }
    case 'redis':
    case 'rediss':
    case 'redis+unix':
    case 'unix': {
      const { RedisChallengeStore } = await import('./store-redis.js');
      return new RedisChallengeStore({
        ...common, url,
        ...(opts.prefix !== undefined ? { prefix: opts.prefix } : {}),
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      });
    }
    default:
      throw new TypeError(`createChallengeStore: unsupported store URL scheme "${scheme ?? "(none)"}" (memory:, sqlite:, postgres://, redis://)`);
  }
}
