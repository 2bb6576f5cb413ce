// The replay storm: every proof is sent to 4 verifier processes at the same moment (and ECDSA
// proofs also in their malleated (r, n−s) form), on one Redis, one PostgreSQL and one SQLite
// file. Each nonce must be accepted exactly once; every other answer is REPLAYED.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthToken } from '../src/portal/index.js';
import { CLI } from './support/daemon.js';
import { ANCHOR_FILES, ORIGIN, makeToken } from './support/portal-tokens.js';
import { POSTGRES_AVAILABLE, startPostgres } from './support/postgres.js';
import { REDIS_AVAILABLE, startRedis } from './support/redis.js';
import { postJson, startVerifierProcess, type VerifierProcess } from './support/verifier.js';

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const LEAVES = ['leaf-org', 'leaf-person', 'leaf-civil-servant', 'leaf-mst-cccd'];
const PROOFS = 48;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The same ECDSA signature with s replaced by n − s: it verifies too. */
function malleated(t: AuthToken): AuthToken {
  const sig = Buffer.from(t.signature, 'base64');
  const s = BigInt('0x' + sig.subarray(32).toString('hex'));
  return { ...t, signature: Buffer.concat([sig.subarray(0, 32), Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex')]).toString('base64') };
}

async function storm(storeUrl: string): Promise<void> {
  const procs: VerifierProcess[] = await Promise.all(Array.from({ length: 4 }, () => startVerifierProcess(['--store', storeUrl,
    '--origin', ORIGIN, '--revocation', 'off', ...ANCHOR_FILES.flatMap((f) => ['--trust-anchor', f])])));
  cleanups.push(() => Promise.all(procs.map((p) => p.stop())));
  const proofs = await Promise.all(Array.from({ length: PROOFS }, async (_, i) => {
    const sessionId = `storm-${i}`;
    const c = await postJson(procs[i % 4].url, '/v1/challenges', { sessionId });
    expect(c.status).toBe(200);
    return { sessionId, token: makeToken(LEAVES[i % LEAVES.length], c.json.nonce) };
  }));

  const round = () => Promise.all(proofs.map(({ sessionId, token }) => Promise.all(procs.map((p, k) => {
    // Two of the four get the malleated twin of an ECDSA proof.
    const sent = token.algorithm === 'ES256' && k % 2 === 1 ? malleated(token) : token;
    return postJson(p.url, '/v1/verify', { sessionId, token: sent });
  }))));

  const first = await round();
  for (const [i, answers] of first.entries()) {
    expect(answers.every((a) => a.status === 200), `proof ${i}`).toBe(true);
    expect(answers.filter((a) => a.json.ok).length, `proof ${i}: acceptances`).toBe(1);
    expect(answers.filter((a) => !a.json.ok).map((a) => a.json.code), `proof ${i}`).toEqual(['REPLAYED', 'REPLAYED', 'REPLAYED']);
  }
  const again = await round();
  expect(again.flat().map((a) => a.json.code)).toEqual(Array(PROOFS * 4).fill('REPLAYED'));
}

describe.skipIf(!existsSync(CLI))('replay storm across 4 verifier processes', { timeout: 180_000 }, () => {
  it.skipIf(!REDIS_AVAILABLE)('Redis: each nonce accepted exactly once', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.cleanup());
    await storm(redis.url);
  });

  it.skipIf(!POSTGRES_AVAILABLE)('PostgreSQL: each nonce accepted exactly once', async () => {
    const pg = await startPostgres();
    cleanups.push(() => pg.cleanup());
    await storm(pg.url);
  });

  it('SQLite file shared by the processes of one machine: each nonce accepted exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-storm-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    await storm(`sqlite:${join(dir, 'challenges.db')}`);
  });
});
