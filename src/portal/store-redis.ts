// Redis via ioredis: several portal processes and machines share one server. Every change is a
// Lua script (atomic in Redis); a used token is SET NX with a TTL. Records expire by TTL, so no
// cleanup runs. All keys of a session carry its hash tag ({sessionKey}), so each script touches
// one cluster slot (the challenge keys a script derives from ARGV are in that slot too). Durability needs appendonly yes + appendfsync always (see the docs).
import { Redis, type RedisOptions } from 'ioredis';
import { CHALLENGE_RETENTION_MS } from './limits.js';
import { ADD_SCRIPT, CONSUME_SCRIPT, FOR_SESSION_SCRIPT } from './store-redis-scripts.js';
import type { ChallengeRecord, ChallengeStore, NewChallenge, StoreOptions } from './store.js';

export interface RedisStoreOptions extends StoreOptions {
  /** redis://[user:pass@]host:6379/0, rediss://… (TLS), or redis+unix:///path/redis.sock?db=0 */
  url: string;
  /** Key prefix (default "kyso:"), to share a Redis with other applications. */
  prefix?: string;
  /** A command that takes longer fails (default 5 s): the caller answers 503, not a hang. */
  timeoutMs?: number;
}

interface Scripts {
  kysoAdd(k1: string, k2: string, k3: string, ...argv: (string | number)[]): Promise<number>;
  kysoConsume(k1: string, k2: string, at: number, nonce: string): Promise<number>;
  kysoForSession(k1: string, prefix: string): Promise<string[]>;
}

/** ioredis options from the URL: redis+unix:// becomes a socket path. */
export function redisOptionsOf(url: string, timeoutMs: number): RedisOptions & { url?: string } {
  const u = new URL(url);
  const base: RedisOptions = {
    // Fail fast while the server is away (503) instead of queueing, and never resend a command
    // whose reply was lost: a resent consume would read as a replay of the user's own proof.
    enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false,
    lazyConnect: true, commandTimeout: timeoutMs, connectTimeout: timeoutMs,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
  };
  if (u.protocol === 'redis+unix:' || u.protocol === 'unix:') {
    const db = Number(u.searchParams.get('db') ?? 0);
    return { ...base, path: decodeURIComponent(u.pathname), db, ...(u.password ? { password: decodeURIComponent(u.password) } : {}) };
  }
  return { ...base, url };
}

export class RedisChallengeStore implements ChallengeStore {
  private readonly redis: Redis & Scripts;
  private readonly prefix: string;
  private readonly retentionMs: number;
  private connecting?: Promise<void>;

  constructor(opts: RedisStoreOptions) {
    const { url, ...rest } = redisOptionsOf(opts.url, opts.timeoutMs ?? 5_000);
    this.redis = (url ? new Redis(url, rest) : new Redis(rest)) as Redis & Scripts;
    // Errors reach the callers of each command; the client reconnects by itself.
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('kysoAdd', { numberOfKeys: 3, lua: ADD_SCRIPT });
    this.redis.defineCommand('kysoConsume', { numberOfKeys: 2, lua: CONSUME_SCRIPT });
    this.redis.defineCommand('kysoForSession', { numberOfKeys: 1, lua: FOR_SESSION_SCRIPT });
    this.prefix = opts.prefix ?? 'kyso:';
    this.retentionMs = opts.retentionMs ?? CHALLENGE_RETENTION_MS;
  }

  /** The first command connects; later ones rely on the client's own reconnects. */
  private ready(): Promise<void> {
    if (this.redis.status === 'wait') this.connecting ??= this.redis.connect().finally(() => { this.connecting = undefined; });
    return this.connecting ?? Promise.resolve();
  }

  private challengePrefix(sessionKey: string): string {
    return `${this.prefix}{${sessionKey}}:c:`;
  }

  private sessionKeys(sessionKey: string): [all: string, open: string] {
    return [`${this.prefix}{${sessionKey}}:all`, `${this.prefix}{${sessionKey}}:open`];
  }

  async add(record: NewChallenge, maxOutstanding: number): Promise<void> {
    await this.ready();
    const [all, open] = this.sessionKeys(record.sessionKey);
    const cp = this.challengePrefix(record.sessionKey);
    // Kept until the challenge expired plus the retention, so late replays still read REPLAYED.
    const keepMs = Math.max(1, record.expiresAt - record.createdAt) + this.retentionMs;
    await this.redis.kysoAdd(cp + record.nonce, all, open, record.nonce, record.createdAt, record.expiresAt, maxOutstanding, keepMs, cp);
  }

  async forSession(sessionKey: string): Promise<ChallengeRecord[]> {
    await this.ready();
    const flat = await this.redis.kysoForSession(this.sessionKeys(sessionKey)[0], this.challengePrefix(sessionKey));
    const out: ChallengeRecord[] = [];
    for (let i = 0; i + 3 < flat.length; i += 4) {
      out.push({
        nonce: flat[i], sessionKey, createdAt: Number(flat[i + 1]), expiresAt: Number(flat[i + 2]),
        consumedAt: flat[i + 3] === '' ? null : Number(flat[i + 3]),
      });
    }
    return out;
  }

  async consume(nonce: string, sessionKey: string, at: number): Promise<boolean> {
    await this.ready();
    return (await this.redis.kysoConsume(this.challengePrefix(sessionKey) + nonce, this.sessionKeys(sessionKey)[1], at, nonce)) === 1;
  }

  async isTokenUsed(key: string): Promise<boolean> {
    await this.ready();
    return (await this.redis.exists(`${this.prefix}t:${key}`)) === 1;
  }

  async markTokenUsed(key: string, at: number): Promise<boolean> {
    await this.ready();
    return (await this.redis.set(`${this.prefix}t:${key}`, String(at), 'PX', this.retentionMs, 'NX')) === 'OK';
  }

  async ping(): Promise<void> {
    await this.ready();
    await this.redis.ping();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') { this.redis.disconnect(); return; }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
