// One contract, four stores: memory, SQLite (a file shared by two handles), PostgreSQL and Redis
// (real servers started here, on unix sockets in temp dirs, with the durability settings the
// docs require). Then verifyAuthToken through each, and the drivers loaded only when used.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChallenge, createChallengeStore, MemoryChallengeStore, verifyAuthToken, type ChallengeStore } from '../src/portal/index.js';
import { PostgresChallengeStore } from '../src/portal/store-postgres.js';
import { POSTGRES_AVAILABLE, startPostgres, type TestPostgres } from './support/postgres.js';
import { REDIS_AVAILABLE, startRedis, type TestRedis } from './support/redis.js';
import { storeContract, type ContractTarget } from './support/store-contract.js';
import { ANCHORS, ORIGIN, makeToken } from './support/portal-tokens.js';

let pgServer: TestPostgres | undefined;
let redisServer: TestRedis | undefined;
const sqliteDir = mkdtempSync(join(tmpdir(), 'kyso-store-'));

beforeAll(async () => {
  [pgServer, redisServer] = await Promise.all([
    POSTGRES_AVAILABLE ? startPostgres() : undefined,
    REDIS_AVAILABLE ? startRedis() : undefined,
  ]);
});
afterAll(async () => {
  await Promise.all([pgServer?.cleanup(), redisServer?.cleanup()]);
  rmSync(sqliteDir, { recursive: true, force: true });
});

const memory = new MemoryChallengeStore();
const TARGETS: Record<string, () => ContractTarget> = {
  memory: () => ({
    label: 'memory', shared: false, prunes: true,
    open: async (o) => (o ? new MemoryChallengeStore(o) : memory),
  }),
  sqlite: () => ({
    label: 'sqlite', shared: true, prunes: true,
    open: (o) => createChallengeStore(`sqlite:${join(sqliteDir, o ? `r${Date.now()}.db` : 'challenges.db')}`, o),
  }),
  postgres: () => ({ label: 'postgres', shared: true, prunes: true, open: (o) => createChallengeStore(pgServer!.url, o) }),
  redis: () => ({ label: 'redis', shared: true, prunes: false, open: (o) => createChallengeStore(redisServer!.url, o) }),
};
const SKIP: Record<string, boolean> = { memory: false, sqlite: false, postgres: !POSTGRES_AVAILABLE, redis: !REDIS_AVAILABLE };

for (const [name, target] of Object.entries(TARGETS)) {
  describe.skipIf(SKIP[name])(`${name} store`, () => {
    storeContract(target);

    it('verifyAuthToken through it: accepted once, then REPLAYED from another handle', async () => {
      const a = await target().open();
      const b = await target().open();
      try {
        const { nonce } = await createChallenge('sess-x', { store: a });
        const token = makeToken('leaf-org', nonce);
        const opts = (store: ChallengeStore) => ({ expectedOrigin: ORIGIN, sessionId: 'sess-x', trustAnchors: ANCHORS, revocation: 'off' as const, store });
        expect(await verifyAuthToken(token, opts(b))).toMatchObject({ taxCode: '3301234567' });
        await expect(verifyAuthToken(token, opts(a))).rejects.toMatchObject({ code: 'REPLAYED' });
      } finally {
        if (a !== b) { await a.close?.(); await b.close?.(); }
      }
    });
  });
}

describe.skipIf(!POSTGRES_AVAILABLE)('PostgreSQL schema', () => {
  it('is created once by many first uses at the same time, and versioned', async () => {
    const db = `kyso_mig_${process.pid}`;
    const admin = new PostgresChallengeStore({ connectionString: pgServer!.url });
    await (admin as unknown as { pool: { query(q: string): Promise<unknown> } }).pool.query(`CREATE DATABASE ${db}`);
    const url = pgServer!.url.replace('/postgres?', `/${db}?`);
    const stores = Array.from({ length: 6 }, () => new PostgresChallengeStore({ connectionString: url, poolSize: 2 }));
    await Promise.all(stores.map((s) => s.migrate()));
    const { rows } = await (stores[0] as unknown as { pool: { query(q: string): Promise<{ rows: { version: number }[] }> } }).pool
      .query('SELECT version FROM kyso_schema_version ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual([1]);
    for (const s of stores) await s.close();
    await admin.close();
  });
});

describe('drivers load only when used', () => {
  const probe = (url: string) => {
    const script = `
      import { createRequire } from 'node:module';
      const { createChallengeStore } = await import(${JSON.stringify(resolve('src/portal/index.ts'))});
      const s = await createChallengeStore(${JSON.stringify(url)});
      await s.close?.();
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(['better-sqlite3', 'node_modules/pg/', 'ioredis'].filter((m) => loaded.some((f) => f.includes(m)))));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as string[];
  };

  it('memory: none; sqlite: only better-sqlite3; redis: only ioredis; postgres: only pg', () => {
    expect(probe('memory:')).toEqual([]);
    expect(probe('sqlite::memory:')).toEqual(['better-sqlite3']);
    expect(probe('redis+unix:///nonexistent/redis.sock')).toEqual(['ioredis']);
    expect(probe('postgres://kyso@/postgres?host=/nonexistent')).toEqual(['node_modules/pg/']);
  });

  it('an unknown scheme is refused without echoing the URL (it may hold a password)', async () => {
    await expect(createChallengeStore('mysql://root:hunter2@db/x')).rejects.toThrow(/unsupported store URL scheme "mysql"/);
    await expect(createChallengeStore('mysql://root:hunter2@db/x')).rejects.not.toThrow(/hunter2/);
  });
});
