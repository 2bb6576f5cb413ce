// `npm run bench:portal`: 4 `kyso-bridge verifier serve` processes sharing one Redis, then one
// PostgreSQL (real servers in temp dirs, durable settings). Challenges are issued through the
// services; proofs for them are made in advance by SoftHSM in this process; then verifications
// run with 64 in flight, spread over the 4 processes; then every accepted proof is replayed to
// all 4 processes at once. Prints a table, writes bench/results/portal-*.json. See bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { PKI_HTTP_PORT } from '../certs-fixtures/pki-spec.js';
import { PkiServer } from '../test/support/pki-server.js';
import { POSTGRES_AVAILABLE, startPostgres } from '../test/support/postgres.js';
import { REDIS_AVAILABLE, startRedis } from '../test/support/redis.js';
import { sharedSoftHsm } from '../test/support/softhsm.js';
import { startVerifierProcess, type VerifierProcess } from '../test/support/verifier.js';
import { JsonClient, load } from './portal-client.js';
import { cpuMsOfTrees, selfCpuMs } from './portal-cpu.js';
import { ProofMaker } from './portal-proofs.js';
import { quantile, round } from './report.js';

const ORIGIN = 'https://dichvucong.example.gov.vn';
const PROCESSES = 4;
const INFLIGHT = 64;
const N = Number(process.env.KYSO_BENCH_PORTAL_N ?? 8000);
/** Untimed cycles first: JIT, connection pools and each process's first verdicts (then cached ≤ 60 s). */
const WARM = Math.max(256, Math.round(N / 10));
const TARGET = { verifyPerSec: 2000, p99Ms: 50 };
const ANCHORS = ['root-national.pem', 'root-gov.pem'].map((f) => resolve('certs-fixtures/out', f));
const CLI = resolve('dist/bin/kyso-bridge.js');

const T0 = performance.now();
const log = (s: string) => process.stderr.write(`[bench:portal ${((performance.now() - T0) / 1000).toFixed(1)}s] ${s}\n`);

interface StoreResult {
  store: string; processes: number; inflight: number; proofs: number;
  challengesPerSec: number; challengeP50: number; challengeP99: number;
  verifyPerSec: number; verifyP50: number; verifyP99: number;
  accepted: number; refused: Record<string, number>; errors: number;
  replayRequests: number; replayAccepted: number; replayCodes: Record<string, number>;
  /** CPU ms per verification during the verify phase: the 4 services, the store server, the load client. */
  cpuMsPerVerify: { services: number; store: number; client: number; total: number };
  /** cores × 1000 / total CPU ms per verification: the rate when the machine's cores are the only limit. */
  cpuBoundPerSec: number;
}

const pct = (ms: number[], q: number) => round(quantile([...ms].sort((a, b) => a - b), q), 2);
const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

async function runStore(name: string, url: string, storePid: number, revocation: string, maker: ProofMaker): Promise<StoreResult> {
  log(`${name}: starting ${PROCESSES} verifier processes`);
  const procs: VerifierProcess[] = await Promise.all(Array.from({ length: PROCESSES }, () => startVerifierProcess([
    '--store', url, '--origin', ORIGIN, '--revocation', revocation, ...ANCHORS.flatMap((f) => ['--trust-anchor', f]), '--log-level', 'warn'])));
  const clients = procs.map((p) => new JsonClient(p.url, INFLIGHT / PROCESSES));
  try {
    log(`${name}: warm-up, ${WARM} challenge → verify cycles (not timed)`);
    const warm = await load(WARM, INFLIGHT, async (i) => {
      const sessionId = `warm-${name}-${process.pid}-${i}`;
      const c = await clients[i % PROCESSES].post('/v1/challenges', { sessionId });
      return clients[(i + 1) % PROCESSES].post('/v1/verify', { sessionId, token: await maker.make(i, c.json.nonce) });
    });
    if (warm.errors.length || warm.results.some((r) => !r.json.ok)) throw new Error(`warm-up failed: ${warm.errors[0] ?? JSON.stringify(warm.results.find((r) => !r.json.ok)?.json)}`);
    log(`${name}: ${N} challenges, ${INFLIGHT} in flight`);
    const sessions = Array.from({ length: N }, (_, i) => `bench-${name}-${process.pid}-${i}`);
    const ch = await load(N, INFLIGHT, (i) => clients[i % PROCESSES].post('/v1/challenges', { sessionId: sessions[i] }));
    log(`${name}: signing ${N} proofs with SoftHSM (not timed)`);
    const tokens = await Promise.all(ch.results.map((r, i) => maker.make(i, r.json.nonce)));
    const pids = procs.map((p) => p.child.pid!);
    const before = { services: cpuMsOfTrees(pids), store: cpuMsOfTrees([storePid]), client: selfCpuMs() };
    const v = await load(N, INFLIGHT, (i) => clients[(i + 1) % PROCESSES].post('/v1/verify', { sessionId: sessions[i], token: tokens[i] }));
    const cpu = {
      services: (cpuMsOfTrees(pids) - before.services) / N, store: (cpuMsOfTrees([storePid]) - before.store) / N,
      client: (selfCpuMs() - before.client) / N, total: 0,
    };
    cpu.total = cpu.services + cpu.store + cpu.client;
    const ok = v.results.map((r, i) => (r?.json?.ok ? i : -1)).filter((i) => i >= 0);
    log(`${name}: ${ok.length} accepted; replaying each to all ${PROCESSES} processes at once`);
    const replay = await load(ok.length, INFLIGHT / PROCESSES, (k) => Promise.all(clients.map((c) =>
      c.post('/v1/verify', { sessionId: sessions[ok[k]], token: tokens[ok[k]] }))));
    const replayAnswers = replay.results.flat();
    return {
      store: name, processes: PROCESSES, inflight: INFLIGHT, proofs: N,
      challengesPerSec: round(N / (ch.wallMs / 1000), 0), challengeP50: pct(ch.ms, 0.5), challengeP99: pct(ch.ms, 0.99),
      verifyPerSec: round(N / (v.wallMs / 1000), 0), verifyP50: pct(v.ms, 0.5), verifyP99: pct(v.ms, 0.99),
      accepted: ok.length, refused: count(v.results.filter((r) => r && !r.json.ok).map((r) => r.json.code ?? String(r.status))),
      errors: ch.errors.length + v.errors.length + replay.errors.length,
      replayRequests: replayAnswers.length, replayAccepted: replayAnswers.filter((r) => r.json.ok).length,
      replayCodes: count(replayAnswers.map((r) => r.json.code ?? 'ok')),
      cpuMsPerVerify: { services: round(cpu.services), store: round(cpu.store), client: round(cpu.client), total: round(cpu.total) },
      cpuBoundPerSec: round((cpus().length * 1000) / cpu.total, 0),
    };
  } finally {
    for (const c of clients) c.close();
    await Promise.all(procs.map((p) => p.stop()));
  }
}

function report(results: StoreResult[], notes: string[]): string {
  const head = ['store', 'verifications/s', 'verify p50 ms', 'verify p99 ms', 'CPU ms/verify (svc+store+client)', 'if CPU-bound /s', 'challenges/s', 'accepted', 'replays → accepted', 'errors', 'targets met?'];
  const rows = results.map((r) => [
    r.store, String(r.verifyPerSec), String(r.verifyP50), String(r.verifyP99),
    `${r.cpuMsPerVerify.total} (${r.cpuMsPerVerify.services}+${r.cpuMsPerVerify.store}+${r.cpuMsPerVerify.client})`, String(r.cpuBoundPerSec), String(r.challengesPerSec),
    `${r.accepted}/${r.proofs}`, `${r.replayRequests} → ${r.replayAccepted}`, String(r.errors),
    [r.verifyPerSec >= TARGET.verifyPerSec ? '≥2000/s yes' : '≥2000/s NO', r.verifyP99 <= TARGET.p99Ms ? 'p99 yes' : 'p99 NO', r.replayAccepted === 0 && r.accepted === r.proofs ? 'replay yes' : 'replay NO'].join(', '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line), '', ...notes.map((n) => `- ${n}`)].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) {
    log('dist/ missing: npm run build');
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const notes: string[] = [`${cpus().length} CPUs, loadavg ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    'CPU ms/verify: all CPU the 4 services, the store server (with its backends) and this load client used during the verify phase, per verification; "if CPU-bound" = cores × 1000 / that',
    `${PROCESSES} verifier processes, ${INFLIGHT} in flight, ${N} proofs per store (half RS256 on SoftHSM RSA-2048, half ES256 on P-256)`];
  const pki = new PkiServer();
  const pkiUp = await pki.start(PKI_HTTP_PORT).then(() => true, () => false);
  const revocation = pkiUp ? 'require' : 'off';
  notes.push(pkiUp ? 'revocation require, OCSP from the loopback responder on the fixture port; verdicts cached ≤ 60 s per process'
    : `revocation off: port ${PKI_HTTP_PORT} is taken (run inside unshare -n for the OCSP responder)`);
  notes.push('Redis: appendonly yes, appendfsync always (unix socket); PostgreSQL: synchronous_commit on, fsync on (unix socket)');
  const maker = await ProofMaker.open(sharedSoftHsm(), ORIGIN);
  const results: StoreResult[] = [];
  try {
    if (REDIS_AVAILABLE) {
      const redis = await startRedis();
      try { results.push(await runStore('redis', redis.url, redis.pid()!, revocation, maker)); } finally { await redis.cleanup(); }
    } else notes.push('redis-server not installed: skipped');
    if (POSTGRES_AVAILABLE) {
      const pg = await startPostgres({ maxConnections: 200 });
      try { results.push(await runStore('postgres', pg.url, pg.pid()!, revocation, maker)); } finally { await pg.cleanup(); }
    } else notes.push('PostgreSQL not installed: skipped');
  } finally {
    maker.close();
    if (pkiUp) await pki.stop();
  }
  const text = report(results, notes);
  process.stdout.write(`\n${text}\n`);
  const dir = resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify({ date: new Date().toISOString(), loadavg: loadavg(), results, notes }, null, 2);
  writeFileSync(join(dir, `portal-${new Date().toISOString().replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(dir, 'portal-latest.json'), json);
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
