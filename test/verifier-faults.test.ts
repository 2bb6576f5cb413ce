// Faults of the verifier service (real processes, real stores): the store crashes and comes back
// while requests keep coming (503 STORE_UNAVAILABLE or success, never a 500; the service recovers
// by itself; acceptances survive the crash), and a killed verifier process (its in-flight requests
// fail at the connection level; a retry at another instance never accepts a proof twice).
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from './support/daemon.js';
import { ANCHOR_FILES, ORIGIN, makeToken } from './support/portal-tokens.js';
import { POSTGRES_AVAILABLE, startPostgres } from './support/postgres.js';
import { REDIS_AVAILABLE, startRedis } from './support/redis.js';
import { getStatus, postJson, startVerifierProcess, type VerifierProcess } from './support/verifier.js';

const LEAVES = ['leaf-org', 'leaf-person', 'leaf-civil-servant', 'leaf-mst-cccd'];
const started: VerifierProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const v of started) await v.kill();
  for (const c of cleanups) await c();
});

async function verifier(storeUrl: string, extra: string[] = []): Promise<VerifierProcess> {
  const v = await startVerifierProcess(['--store', storeUrl, '--origin', ORIGIN, '--revocation', 'off',
    ...ANCHOR_FILES.flatMap((f) => ['--trust-anchor', f]), ...extra]);
  started.push(v);
  return v;
}

/** n sessions, each with a challenge issued through `v` and the proof answering it. */
async function proofs(v: VerifierProcess, n: number, tag: string) {
  return Promise.all(Array.from({ length: n }, async (_, i) => {
    const sessionId = `${tag}-${i}`;
    const c = await postJson(v.url, '/v1/challenges', { sessionId });
    expect(c.status).toBe(200);
    return { sessionId, token: makeToken(LEAVES[i % LEAVES.length], c.json.nonce) };
  }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const STORES = [
  ['redis', REDIS_AVAILABLE, startRedis],
  ['postgres', POSTGRES_AVAILABLE, startPostgres],
] as const;

describe.skipIf(!existsSync(CLI))('verifier faults', { timeout: 180_000 }, () => {
  for (const [kind, available, startStore] of STORES) {
    it.skipIf(!available)(`${kind} crashes and restarts under load: 503 or success, recovery by itself, acceptances kept`, async () => {
      const store = await startStore();
      cleanups.push(() => store.cleanup());
      const v = await verifier(store.url);
      const all = await proofs(v, 20, `${kind}-crash`);
      for (const p of all.slice(0, 5)) expect((await postJson(v.url, "/v1/verify", p)).json).toMatchObject({ ok: true });

      await store.kill();
      expect(await getStatus(v.url, '/healthz')).toBe(503);
      const down = await postJson(v.url, '/v1/verify', all[5]);
      expect(down).toMatchObject({ status: 503, json: { ok: false, code: 'STORE_UNAVAILABLE' } });
      expect(down.json.message).toMatch(/thử lại/);
      expect((await postJson(v.url, '/v1/challenges', { sessionId: 'x' })).status).toBe(503);

      // Clients keep trying each remaining proof until they get an answer, while the store comes back.
      const statuses: number[] = [];
      const outcome = new Map<number, string>();
      const clients = all.slice(5).map(async (p, k) => {
        for (let attempt = 0; attempt < 1_200; attempt++) {
          const r = await postJson(v.url, '/v1/verify', p);
          statuses.push(r.status);
          if (r.status === 200) { outcome.set(k + 5, r.json.ok ? 'ok' : r.json.code); return; }
          await sleep(50);
        }
      });
      // The store comes back only once the clients have met it down (no timer decides that).
      await expect.poll(() => statuses.length, { timeout: 60_000 }).toBeGreaterThan(0);
      await store.start();
      await Promise.all(clients);
      expect(new Set(statuses)).toEqual(new Set(statuses.filter((s) => s === 200 || s === 503)));
      expect(statuses).toContain(503);
      expect(await getStatus(v.url, '/healthz')).toBe(200);

      // The 503 above consumed nothing: that proof was accepted after the restart.
      expect(outcome.get(5)).toBe('ok');
      // Every proof answered at most once with ok (a 503 after the store's commit would leave REPLAYED, never a second ok).
      for (const [i, o] of outcome) expect(['ok', 'REPLAYED'], `proof ${i}`).toContain(o);
      // Accepted before the crash, or during the restart: refused now, by the recovered store.
      for (const p of all) expect((await postJson(v.url, '/v1/verify', p)).json.code).toBe('REPLAYED');
      // And it issues and accepts new challenges.
      const [fresh] = await proofs(v, 1, `${kind}-after`);
      expect((await postJson(v.url, '/v1/verify', fresh)).json.ok).toBe(true);
      await v.stop();
    });
  }

  it.skipIf(!REDIS_AVAILABLE)('a killed verifier fails its in-flight requests at the connection level; a retry elsewhere never double-accepts', async () => {
    const store = await startRedis();
    cleanups.push(() => store.cleanup());
    const a = await verifier(store.url, ['--store-timeout', '120']);
    const b = await verifier(store.url, ['--store-timeout', '120']);

    // 1. The store hangs, so every request to A is still in flight when A is killed.
    const first = await proofs(b, 12, 'hang');
    store.pause();
    const inFlight = first.map((p) => postJson(a.url, '/v1/verify', p).then((r) => ({ r }), (e: NodeJS.ErrnoException) => ({ e })));
    await sleep(200);
    await a.kill();
    const results = await Promise.all(inFlight);
    store.resume();
    for (const x of results) {
      expect('e' in x, 'an HTTP answer came from a killed process').toBe(true);
      if ('e' in x) expect(x.e.code ?? x.e.message).toMatch(/ECONNRESET|ECONNREFUSED|socket hang up/);
    }
    // Retried at B: each accepted exactly once (A never got to consume them).
    for (const p of first) expect((await postJson(b.url, '/v1/verify', p)).json.ok).toBe(true);
    for (const p of first) expect((await postJson(b.url, '/v1/verify', p)).json.code).toBe('REPLAYED');

    // 2. Killed while answering a stream: whatever stage each request reached, a retry never accepts twice.
    const c = await verifier(store.url);
    const second = await proofs(b, 60, 'stream');
    const accepted = new Map<number, number>();
    const stream = second.map((p, i) => postJson(c.url, '/v1/verify', p).then((r) => {
      expect([200]).toContain(r.status);
      if (r.json.ok) accepted.set(i, (accepted.get(i) ?? 0) + 1);
      void c.kill(); // the first answer kills it
      return true;
    }, (e: NodeJS.ErrnoException) => {
      expect(e.code ?? e.message).toMatch(/ECONNRESET|ECONNREFUSED|socket hang up/);
      return false;
    }));
    await Promise.all(stream);
    for (const [i, p] of second.entries()) {
      const r = await postJson(b.url, '/v1/verify', p);
      expect(r.status).toBe(200);
      if (r.json.ok) accepted.set(i, (accepted.get(i) ?? 0) + 1);
      else expect(r.json.code).toBe('REPLAYED');
    }
    for (const [i, n] of accepted) expect(n, `proof ${i}`).toBe(1);
    await b.stop();
  });
});
