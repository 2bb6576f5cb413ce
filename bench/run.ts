// `npm run bench`: the daemon against raw pkcs11js on SoftHSM, measured in one run.
// Prints a table and writes bench/results/bench-<timestamp>.json + latest.json. Exits 0 when a
// target is missed (it reports); non-zero only when the bench itself breaks. See bench/README.md.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import { createFakePinentry } from '../test/support/fake-pinentry.js';
import { RpcClient } from '../test/support/rpc-client.js';
import { freshSoftHsm, tokenSpec } from '../test/support/softhsm.js';
import { parallel, parallelPing, sequential, sequentialPing, verifySigned, type BenchCert, type Signed } from './api.js';
import { ensureBuilt, gitCommit } from './build.js';
import {
  CLK_TCK, bareNodeStartMs, cleanupAll, cpuSplit, idleCpuPercent, memKb, rssKb, sleep, spawnBareIdleNode, startBenchDaemon, startDaemon, stopChild, trackDir,
} from './procs.js';
import { RawWorker } from './raw.js';
import { dist, median, round, table } from './report.js';
import { buildRows, roundAll, roundDist, type ParRound } from './rows.js';
import { soak } from './soak.js';

const ORIGIN = 'https://bench.example';
const SEQ_ROUNDS = 6;
const SEQ_N = 50; // per round and side: 300 samples per algorithm and side
const SEQ_WARM = 5; // per round and side: 30 warm-up signs
const PAR_ROUNDS = 5;
const INFLIGHT = 64;
const CONNECTIONS = 8;
const PER_TOKEN = 320; // 640 signs per parallel round, half on each token
// KYSO_BENCH_SOAK: a shorter soak while experimenting (the table says how many ran).
const SOAK_TOTAL = Number(process.env.KYSO_BENCH_SOAK ?? 100_000);
const SOAK_SAMPLE_EVERY = 10_000;
const START_RUNS = 5;
const IDLE_WAIT_MS = 2_000;
// V8 trims the young generation left from start-up about 8–10 s after the process goes quiet.
const IDLE_SETTLED_MS = 15_000;
const CPU_WINDOW_MS = 5_000;
const TARGET = { diffMs: 0.3, errors: 0, parRatio: 0.8, startMs: 300, rssMb: 60 };
const BENCH = [
  { key: 'rsa', alg: 'RSA-2048', label: 'KYSO DOANH NGHIEP', leaf: 'leaf-org' },
  { key: 'ec', alg: 'P-256', label: 'KYSO CONG DAN', leaf: 'leaf-person' },
] as const;
const CONFIG = { SEQ_ROUNDS, SEQ_N, SEQ_WARM, PAR_ROUNDS, INFLIGHT, CONNECTIONS, PER_TOKEN, SOAK_TOTAL, SOAK_SAMPLE_EVERY, START_RUNS, IDLE_WAIT_MS, IDLE_SETTLED_MS, CPU_WINDOW_MS, tokens: BENCH };

const log = (s: string) => process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(1)}s] ${s}\n`);
const T0 = performance.now();

/** `serve` flags for the cold-start and idle runs: the same grants and options as the sign-path daemon. */
function serveArgs(modulePath: string, pinentry: string): string[] {
  return ['--port', '0', '--module', modulePath, '--pinentry', pinentry, '--allow-origin', ORIGIN, '--allow-raw-signing', ORIGIN,
    '--pin-cache', '3600', '--revocation', 'off', '--trust-anchor', join(OUT_DIR, 'root-national.pem'), '--log-level', 'warn'];
}

/** The sign-path daemon: bench/bench-daemon.mjs with the same options, dialogs answered in-process. */
function benchDaemonEnv(modulePath: string, configDir: string): Record<string, string> {
  return {
    KYSO_CONFIG_DIR: configDir,
    KYSO_BENCH_DAEMON: JSON.stringify({
      modules: [modulePath], allowOrigins: [ORIGIN], rawSigningOrigins: [ORIGIN], pinCacheSeconds: 3600,
      trustAnchorFiles: [join(OUT_DIR, 'root-national.pem')],
    }),
    KYSO_BENCH_PINS: JSON.stringify(Object.fromEntries(BENCH.map((b) => [b.label, tokenSpec(b.label).userPin]))),
  };
}

async function main(): Promise<void> {
  const loadStart = loadavg();
  const build = ensureBuilt(log);

  // 1. A private SoftHSM store with the two bench tokens.
  log('provisioning SoftHSM (2 tokens)');
  const hsm = freshSoftHsm(BENCH.map((b) => tokenSpec(b.label)));
  trackDir(hsm.dir);

  // 2. Raw baseline worker (its own process, like the daemon).
  const raw = new RawWorker(hsm.env);
  await raw.call({ cmd: 'init', modulePath: hsm.modulePath, tokens: BENCH.map((b) => ({ key: b.key, label: b.label, pin: tokenSpec(b.label).userPin, leaf: b.leaf, fixturesDir: OUT_DIR })) });

  // 3. The built daemon with in-process dialogs (bench/bench-daemon.mjs), PIN cache on.
  const apiDir = trackDir(mkdtempSync(join(tmpdir(), 'kyso-bench-api-')));
  log('starting the daemon for the sign-path runs');
  // --expose-gc only exposes gc(): the soak calls it after each RSS reading to read the live heap.
  // Diagnostics only (skews the figures): e.g. KYSO_BENCH_DAEMON_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = ['--expose-gc', ...(process.env.KYSO_BENCH_DAEMON_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const daemon = await startBenchDaemon({ ...hsm.env, ...benchDaemonEnv(hsm.modulePath, apiDir) }, nodeArgs);
  const seqClient = await RpcClient.connect(daemon.url, { origin: ORIGIN });
  const parClients = await Promise.all(Array.from({ length: CONNECTIONS }, () => RpcClient.connect(daemon.url, { origin: ORIGIN })));
  const list = ((await seqClient.call('certificates.list')).result as { certificates: { id: string; label: string; certificate: string }[] }).certificates;
  const certs: BenchCert[] = BENCH.map((b) => {
    const c = list.find((x) => x.label === b.leaf);
    if (!c) throw new Error(`certificates.list has no ${b.leaf}`);
    const publicKey = new X509Certificate(Buffer.from(c.certificate, 'base64')).publicKey;
    return { key: b.key, id: c.id, publicKey, ec: publicKey.asymmetricKeyType === 'ec' };
  });
  let signHashCalls = 0;
  const signed: Signed[] = [];
  for (const cert of certs) {
    const warm = await sequential(seqClient, cert, 1, 1);
    signHashCalls += 1;
    if (warm.errors.length) throw new Error(`warm-up sign.hash failed: ${warm.errors.join(', ')}`);
    signed.push(...warm.signed);
  }

  // Sequential latency, raw and API interleaved per round so background load hits both alike.
  log(`sequential: ${SEQ_ROUNDS} rounds × ${SEQ_N} (+${SEQ_WARM} warm-up) per algorithm and side`);
  const seqRaw = new Map<string, number[]>(BENCH.map((b) => [b.key, []]));
  const seqApi = new Map<string, number[]>(BENCH.map((b) => [b.key, []]));
  const seqRawGap = new Map<string, number[]>(BENCH.map((b) => [b.key, []]));
  const seqErrors: string[] = [];
  const ping: number[] = [];
  for (let r = 0; r < SEQ_ROUNDS; r++) {
    const pr = await sequentialPing(seqClient, SEQ_WARM + SEQ_N);
    ping.push(...pr.ms.slice(SEQ_WARM));
    seqErrors.push(...pr.errors);
    for (const cert of certs) {
      const rr = await raw.call({ cmd: 'seq', key: cert.key, n: SEQ_WARM + SEQ_N });
      seqRaw.get(cert.key)!.push(...(rr.ms as number[]).slice(SEQ_WARM));
      const rg = await raw.call({ cmd: 'seq', key: cert.key, n: SEQ_WARM + SEQ_N, gap: true });
      seqRawGap.get(cert.key)!.push(...(rg.ms as number[]).slice(SEQ_WARM));
      const ar = await sequential(seqClient, cert, SEQ_WARM + SEQ_N);
      signHashCalls += SEQ_WARM + SEQ_N;
      seqApi.get(cert.key)!.push(...ar.ms.slice(SEQ_WARM));
      seqErrors.push(...ar.errors);
      signed.push(...ar.signed);
    }
  }

  // Parallel throughput: 64 in flight on 2 tokens; raw: a session per lane; API: 8 connections.
  log(`parallel: ${PAR_ROUNDS} rounds × ${2 * PER_TOKEN} signs, ${INFLIGHT} in flight`);
  await raw.call({ cmd: 'par', inflight: INFLIGHT, perToken: 32, keys: certs.map((c) => c.key) });
  await parallel(parClients, certs, INFLIGHT, 32);
  signHashCalls += 64;
  // CPU per sign from /proc (10 ms ticks), split into the main thread (JS, I/O, C_SignInit) and the
  // others (libuv pool running C_Sign, GC); the client's is this process's own CPU.
  const measured = async (pid: number, f: () => Promise<{ ms: number; signs: number; errors: number }>): Promise<ParRound> => {
    const c0 = cpuSplit(pid);
    const client0 = process.cpuUsage();
    const r = await f();
    const client = process.cpuUsage(client0);
    const c1 = cpuSplit(pid);
    const per = (ticks: number) => (ticks * 1000) / CLK_TCK / Math.max(1, r.signs);
    return {
      ...r, perSec: (r.signs * 1000) / r.ms, cpuMsPerSign: per(c1.total - c0.total), mainCpuMsPerSign: per(c1.main - c0.main),
      clientCpuMsPerSign: (client.user + client.system) / 1000 / Math.max(1, r.signs),
    };
  };
  const rawPar = (inflight: number) => measured(raw.pid, async () => {
    const r = await raw.call({ cmd: 'par', inflight, perToken: PER_TOKEN, keys: certs.map((c) => c.key) });
    return { ms: r.ms as number, signs: r.signs!, errors: r.errors! };
  });
  const parRaw: ParRound[] = [];
  const parApi: ParRound[] = [];
  const parErrors: string[] = [];
  let parSigned: Signed[] = [];
  for (let r = 0; r < PAR_ROUNDS; r++) {
    const rr = await rawPar(INFLIGHT);
    delete rr.clientCpuMsPerSign; // the bench process only waits for the worker here
    parRaw.push(rr);
    parApi.push(await measured(daemon.pid, async () => {
      const ar = await parallel(parClients, certs, INFLIGHT, PER_TOKEN);
      signHashCalls += 2 * PER_TOKEN;
      parErrors.push(...ar.errors);
      parSigned = parSigned.concat(ar.signed);
      return { ms: ar.ms, signs: ar.signs, errors: ar.errors.length };
    }));
  }
  // Raw again with only as many in flight as the daemon lets run (Token maxConcurrent 4 × 2 tokens): is the cap the limit?
  const rawCapped = await rawPar(8);
  delete rawCapped.clientCpuMsPerSign;
  // The same load of bridge.info calls (no token work): what the transport alone costs per request.
  await parallelPing(parClients, INFLIGHT, 2 * PER_TOKEN);
  const pingPar = await measured(daemon.pid, async () => {
    const pp = await parallelPing(parClients, INFLIGHT, PAR_ROUNDS * 2 * PER_TOKEN);
    return { ms: pp.ms, signs: pp.calls, errors: pp.errors };
  });
  const loadedRssKb = rssKb(daemon.pid);
  await raw.stop();

  // The soak: RSS every SOAK_SAMPLE_EVERY sign.hash requests, over the same connections and tokens.
  log(`soak: ${SOAK_TOTAL} sign.hash, RSS every ${SOAK_SAMPLE_EVERY}`);
  const soaked = await soak(daemon.child, parClients, certs, { total: SOAK_TOTAL, sampleEvery: SOAK_SAMPLE_EVERY, inflight: INFLIGHT, verifyEvery: 100, log });
  signHashCalls += SOAK_TOTAL;
  const loggedInIdleCpu = await idleCpuPercent(daemon.pid, 3_000);
  seqClient.close();
  parClients.forEach((c) => c.close());
  const daemonExit = await daemon.stop();
  const dialogs = JSON.parse(/kyso-bench-dialogs: (\{.*\})/.exec(daemon.stdout())?.[1] ?? '{}') as Record<string, number>;

  // Signatures checked with node:crypto: the sequential sample and every parallel one.
  const toVerify = [...signed, ...parSigned];
  const badSignatures = toVerify.filter((s) => !verifySigned(s)).length;

  // 4. Cold start to listening on the real `kyso-bridge serve`, TLS on: first start (creates TLS material) and second start.
  log(`cold starts: ${START_RUNS} × (first, second)`);
  const bare: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const firstCpu: number[] = [];
  const secondCpu: number[] = [];
  let idle: { mem: ReturnType<typeof memKb>; settled: ReturnType<typeof memKb>; cpuPercent: number; bare: ReturnType<typeof memKb> } | undefined;
  for (let i = 0; i < START_RUNS; i++) {
    bare.push(await bareNodeStartMs());
    const dir = trackDir(mkdtempSync(join(tmpdir(), 'kyso-bench-start-')));
    const p = createFakePinentry(join(dir, 'pinentry'));
    const env = { ...hsm.env, ...p.env, KYSO_CONFIG_DIR: dir };
    const args = serveArgs(hsm.modulePath, p.program);
    const d1 = await startDaemon(args, env);
    first.push(d1.startMs);
    firstCpu.push(d1.startCpuMs);
    if (!d1.url.startsWith('wss://')) throw new Error(`expected wss://, got ${d1.url}`);
    await d1.stop();
    const d2 = await startDaemon(args, env);
    second.push(d2.startMs);
    secondCpu.push(d2.startCpuMs);
    if (i === START_RUNS - 1) {
      // 5. Idle: no client ever connected.
      log(`idle: RSS at ${IDLE_WAIT_MS} ms, CPU over ${CPU_WINDOW_MS} ms, RSS again at ${IDLE_SETTLED_MS} ms`);
      const floor = spawnBareIdleNode();
      await sleep(IDLE_WAIT_MS);
      const mem = memKb(d2.pid);
      const bareMem = memKb(floor.pid!);
      const cpu = await idleCpuPercent(d2.pid, CPU_WINDOW_MS);
      await sleep(Math.max(0, IDLE_SETTLED_MS - IDLE_WAIT_MS - CPU_WINDOW_MS));
      const settled = memKb(d2.pid);
      await stopChild(floor);
      idle = { mem, settled, cpuPercent: cpu, bare: bareMem };
    }
    await d2.stop();
  }

  // 6. Report.
  const floor = dist(ping);
  const mb = (kb: number) => round(kb / 1024, 1);
  const results = {
    seq: Object.fromEntries(BENCH.map((b) => {
      const r = dist(seqRaw.get(b.key)!);
      const a = dist(seqApi.get(b.key)!);
      const g = dist(seqRawGap.get(b.key)!);
      return [b.alg, {
        raw: roundDist(r), api: roundDist(a), rawIdleGap: roundDist(g), diffMs: round(a.median - r.median), ratio: round(a.median / r.median),
        // What the daemon adds beyond a round trip that does no token work.
        beyondFloorMs: round(a.median - r.median - floor.median),
      }];
    })),
    pingFloor: roundDist(floor),
    seqErrors: seqErrors.length,
    par: {
      raw: parRaw.map((x) => roundAll(x)), api: parApi.map((x) => roundAll(x)),
      rawPerSec: round(median(parRaw.map((x) => x.perSec)), 1), apiPerSec: round(median(parApi.map((x) => x.perSec)), 1),
      // Each API round next to the raw round just before it: background load shifts both alike.
      ratio: round(median(parApi.map((a, i) => a.perSec / parRaw[i]!.perSec))),
      rawCpuMsPerSign: round(median(parRaw.map((x) => x.cpuMsPerSign))), rawMainCpuMsPerSign: round(median(parRaw.map((x) => x.mainCpuMsPerSign))),
      daemonCpuMsPerSign: round(median(parApi.map((x) => x.cpuMsPerSign))), daemonMainCpuMsPerSign: round(median(parApi.map((x) => x.mainCpuMsPerSign))),
      clientCpuMsPerSign: round(median(parApi.map((x) => x.clientCpuMsPerSign!))),
      note: 'ratio = median over rounds of api/raw of adjacent rounds',
      pingFloor: roundAll(pingPar), rawCapped8: roundAll(rawCapped),
      cpuBoundRatio: round(median(parRaw.map((x) => x.cpuMsPerSign)) / (median(parApi.map((x) => x.cpuMsPerSign)) + median(parApi.map((x) => x.clientCpuMsPerSign!)))),
      errors: parErrors.length, rawErrors: parRaw.reduce((a, x) => a + x.errors, 0), errorSample: [...new Set(parErrors)].slice(0, 5),
    },
    soak: soaked,
    dialogs: { ...dialogs, signHashCalls },
    signaturesVerified: toVerify.length + soaked.verified, badSignatures: badSignatures + soaked.badSignatures,
    start: {
      bareNodeMs: roundAll({ runs: bare, median: median(bare) }), firstMs: roundAll({ runs: first, median: median(first) }),
      secondMs: roundAll({ runs: second, median: median(second) }),
      firstCpuMs: roundAll({ runs: firstCpu, median: median(firstCpu) }), secondCpuMs: roundAll({ runs: secondCpu, median: median(secondCpu) }),
    },
    idle: idle && {
      rssMb: mb(idle.mem.rss), anonMb: mb(idle.mem.anon), fileMb: mb(idle.mem.file), pssMb: mb(idle.mem.pss),
      settledRssMb: mb(idle.settled.rss), settledAnonMb: mb(idle.settled.anon), settledFileMb: mb(idle.settled.file),
      bareNodeRssMb: mb(idle.bare.rss), bareNodeAnonMb: mb(idle.bare.anon), bareNodeFileMb: mb(idle.bare.file),
      cpuPercentOfOneCore: round(idle.cpuPercent, 2), cpuWindowMs: CPU_WINDOW_MS,
    },
    afterLoad: { rssMb: mb(loadedRssKb), loggedInIdleCpuPercent: round(loggedInIdleCpu, 2), daemonExitCode: daemonExit },
  };
  const rows = buildRows(results, { BENCH, TARGET, CONFIG });

  const printed = table(rows);
  const when = new Date();
  const report = {
    when: when.toISOString(), commit: gitCommit(), build, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
    loadavg: { start: loadStart, end: loadavg() }, softhsm: hsm.modulePath, durationS: round((performance.now() - T0) / 1000, 1),
    config: CONFIG, targets: TARGET, results, rows, allMet: rows.every((r) => r.met !== false),
  };
  const outDir = resolve('bench/results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `bench-${when.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(outDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(`\nkyso-bridge bench — ${report.when}, node ${process.version}, ${report.cpus} cpu, load ${loadStart.map((x) => x.toFixed(2)).join(' ')}\n\n${printed}\n\n`);
  process.stdout.write(`targets: ${rows.filter((r) => r.met === true).length} met, ${rows.filter((r) => r.met === false).length} missed · ${report.durationS} s · ${file}\n`);
}

process.once('SIGINT', () => { cleanupAll(); process.exit(130); });
process.once('SIGTERM', () => { cleanupAll(); process.exit(143); });
main().then(() => { cleanupAll(); process.exit(0); }, (e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  cleanupAll();
  process.exit(1);
});
