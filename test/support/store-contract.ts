// The contract every ChallengeStore keeps, run against memory, SQLite, PostgreSQL and Redis.
// `open()` returns another handle on the same data (another process's connection), so the
// races below run between handles, as they would between portal processes.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChallengeStore } from '../../src/portal/index.js';

const rnd = () => randomBytes(12).toString('base64url');
const nonce = () => randomBytes(32).toString('base64url');

export interface ContractTarget {
  label: string;
  open(opts?: { retentionMs?: number }): Promise<ChallengeStore>;
  /** false for the memory store: handles cannot share it, so "another handle" is the same one. */
  shared: boolean;
  /** Whether prune(before) exists (SQL and memory); Redis forgets by TTL instead. */
  prunes: boolean;
}

export function storeContract(target: () => ContractTarget): void {
  const opened: ChallengeStore[] = [];
  const open = async (opts?: { retentionMs?: number }) => {
    const s = await target().open(opts);
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of opened) await s.close?.();
  });

  describe('store contract', () => {
    it('keeps a challenge, lists the session oldest first, and consumes it exactly once', async () => {
      const s = await open();
      const session = rnd();
      const t = Date.now();
      const a = nonce(), b = nonce();
      await s.add({ nonce: a, sessionKey: session, createdAt: t, expiresAt: t + 60_000 }, 8);
      await s.add({ nonce: b, sessionKey: session, createdAt: t + 1, expiresAt: t + 60_001 }, 8);
      expect(await s.forSession(session)).toEqual([
        { nonce: a, sessionKey: session, createdAt: t, expiresAt: t + 60_000, consumedAt: null },
        { nonce: b, sessionKey: session, createdAt: t + 1, expiresAt: t + 60_001, consumedAt: null },
      ]);
      expect(await s.forSession(rnd())).toEqual([]);
      expect(await s.consume(a, rnd(), t + 10)).toBe(false); // another session's
      expect(await s.consume(a, session, t + 10)).toBe(true);
      expect(await s.consume(a, session, t + 11)).toBe(false);
      const after = await s.forSession(session);
      expect(after.find((r) => r.nonce === a)?.consumedAt).toBe(t + 10);
      expect(after.find((r) => r.nonce === b)?.consumedAt).toBeNull();
    });

    it('an expired challenge cannot be consumed; an unknown nonce neither', async () => {
      const s = await open();
      const session = rnd();
      const t = Date.now();
      const n = nonce();
      await s.add({ nonce: n, sessionKey: session, createdAt: t, expiresAt: t + 1_000 }, 8);
      expect(await s.consume(n, session, t + 1_000)).toBe(false);
      expect(await s.consume(nonce(), session, t)).toBe(false);
      expect((await s.forSession(session))[0].consumedAt).toBeNull();
    });

    it('records a token fingerprint once', async () => {
      const s = await open();
      const key = rnd();
      expect(await s.isTokenUsed(key)).toBe(false);
      expect(await s.markTokenUsed(key, Date.now())).toBe(true);
      expect(await s.isTokenUsed(key)).toBe(true);
      expect(await s.markTokenUsed(key, Date.now())).toBe(false);
    });

    it('keeps at most N unconsumed challenges per session, dropping the oldest; consumed ones do not count', async () => {
      const s = await open();
      const session = rnd();
      const t = Date.now();
      const nonces = Array.from({ length: 5 }, nonce);
      for (const [i, n] of nonces.entries()) await s.add({ nonce: n, sessionKey: session, createdAt: t + i, expiresAt: t + 60_000 }, 3);
      expect((await s.forSession(session)).map((r) => r.nonce)).toEqual(nonces.slice(2));
      expect(await s.consume(nonces[2], session, t + 10)).toBe(true);
      const more = nonce();
      await s.add({ nonce: more, sessionKey: session, createdAt: t + 20, expiresAt: t + 60_000 }, 3);
      const rows = await s.forSession(session);
      expect(rows.map((r) => r.nonce)).toEqual([nonces[2], nonces[3], nonces[4], more]);
      expect(rows.filter((r) => r.consumedAt === null)).toHaveLength(3);
    });

    it('two handles consuming one nonce at once: exactly one wins', async () => {
      const [s1, s2] = [await open(), await open()];
      const session = rnd();
      const t = Date.now();
      for (let round = 0; round < 10; round++) {
        const n = nonce();
        await s1.add({ nonce: n, sessionKey: session, createdAt: t + round, expiresAt: t + 60_000 }, 64);
        const wins = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? s1 : s2).consume(n, session, t + 100)));
        expect(wins.filter(Boolean)).toHaveLength(1);
      }
    });

    it('two handles marking one token at once: exactly one wins', async () => {
      const [s1, s2] = [await open(), await open()];
      for (let round = 0; round < 10; round++) {
        const key = rnd();
        const wins = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? s1 : s2).markTokenUsed(key, Date.now())));
        expect(wins.filter(Boolean)).toHaveLength(1);
      }
    });

    it('the per-session cap holds when two handles add at once', async () => {
      const [s1, s2] = [await open(), await open()];
      const session = rnd();
      const t = Date.now();
      await Promise.all(Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? s1 : s2).add({ nonce: nonce(), sessionKey: session, createdAt: t + i, expiresAt: t + 60_000 }, 4)));
      const open1 = (await s1.forSession(session)).filter((r) => r.consumedAt === null);
      expect(open1).toHaveLength(4);
    });

    it('forgets records after the retention (prune for SQL/memory, TTL for Redis)', async () => {
      const s = await open({ retentionMs: 200 });
      const session = rnd();
      const t = Date.now();
      const n = nonce();
      const key = rnd();
      await s.add({ nonce: n, sessionKey: session, createdAt: t, expiresAt: t + 100 }, 8);
      await s.markTokenUsed(key, t);
      if (target().prunes) {
        await s.prune!(t); // nothing ended before t
        expect(await s.forSession(session)).toHaveLength(1);
        await s.prune!(t + 101);
        expect(await s.forSession(session)).toEqual([]);
        expect(await s.isTokenUsed(key)).toBe(false);
      } else {
        // Expiry belongs to the server: wait for it, there is no clock to race.
        await expect.poll(async () => (await s.forSession(session)).length, { timeout: 10_000, interval: 100 }).toBe(0);
        await expect.poll(() => s.isTokenUsed(key), { timeout: 10_000, interval: 100 }).toBe(false);
      }
    });

    it('a record added by one handle is consumed through another and seen consumed by both', async () => {
      const [s1, s2] = [await open(), await open()];
      const session = rnd();
      const t = Date.now();
      const n = nonce();
      await s1.add({ nonce: n, sessionKey: session, createdAt: t, expiresAt: t + 60_000 }, 8);
      expect(await s2.consume(n, session, t + 1)).toBe(true);
      expect((await s1.forSession(session))[0].consumedAt).toBe(t + 1);
      expect(await s1.consume(n, session, t + 2)).toBe(false);
    });

    it('answers ping', async () => {
      const s = await open();
      await expect(Promise.resolve(s.ping?.())).resolves.toBeUndefined();
    });
  });
}
