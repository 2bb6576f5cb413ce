// The bench's results as table rows (one per figure, with its target when it has one).
import type { SoakResult } from './soak.js';
import { ms, round, type Dist, type Row } from './report.js';

export interface ParRound { ms: number; signs: number; errors: number; perSec: number; cpuMsPerSign: number; mainCpuMsPerSign: number; clientCpuMsPerSign?: number }

interface SeqFigures { raw: Dist; api: Dist; rawIdleGap: Dist; diffMs: number; ratio: number; beyondFloorMs: number }
interface StartFigures { median: number; runs: number[] }

export interface Results {
  seq: Record<string, SeqFigures>;
  pingFloor: Dist;
  seqErrors: number;
  par: {
    rawPerSec: number; apiPerSec: number; ratio: number; rawCpuMsPerSign: number; rawMainCpuMsPerSign: number;
    daemonCpuMsPerSign: number; daemonMainCpuMsPerSign: number; clientCpuMsPerSign: number; pingFloor: ParRound; rawCapped8: ParRound;
    cpuBoundRatio: number; errors: number; rawErrors: number;
  };
  soak: SoakResult;
  dialogs: Record<string, number>;
  signaturesVerified: number;
  badSignatures: number;
  start: { bareNodeMs: StartFigures; firstMs: StartFigures; secondMs: StartFigures; firstCpuMs: StartFigures; secondCpuMs: StartFigures };
  idle?: {
    rssMb: number; anonMb: number; fileMb: number; pssMb: number; settledRssMb: number; settledAnonMb: number; settledFileMb: number; bareNodeRssMb: number; bareNodeAnonMb: number; bareNodeFileMb: number; cpuPercentOfOneCore: number;
  };
  afterLoad: { rssMb: number; loggedInIdleCpuPercent: number };
}

interface Settings {
  BENCH: readonly { alg: string }[];
  TARGET: { diffMs: number; parRatio: number; startMs: number; rssMb: number };
  CONFIG: { INFLIGHT: number; CONNECTIONS: number; PAR_ROUNDS: number; PER_TOKEN: number; SOAK_TOTAL: number; SOAK_SAMPLE_EVERY: number; IDLE_WAIT_MS: number; IDLE_SETTLED_MS: number; CPU_WINDOW_MS: number };
}

const plus = (x: number, unit = ' ms') => `${x >= 0 ? '+' : ''}${x.toFixed(3)}${unit}`;

function signPathRows(r: Results, { BENCH, TARGET, CONFIG }: Settings): Row[] {
  const rows: Row[] = [];
  for (const b of BENCH) {
    const s = r.seq[b.alg]!;
    rows.push({
      metric: `sign.hash ${b.alg} median (p95)`, measured: `${ms(s.api.median)} (${s.api.p95.toFixed(3)})`,
      baseline: `${ms(s.raw.median)} (${s.raw.p95.toFixed(3)})`, compare: `${plus(s.diffMs)}, ×${s.ratio.toFixed(2)}`,
      target: `≤ raw + ${TARGET.diffMs} ms`, met: s.diffMs <= TARGET.diffMs,
    });
  }
  for (const b of BENCH) {
    const s = r.seq[b.alg]!;
    rows.push({
      metric: `  ${b.alg} raw, process idle before each sign`, measured: '', baseline: `${ms(s.rawIdleGap.median)} (${s.rawIdleGap.p95.toFixed(3)})`,
      compare: `API ${plus(s.api.median - s.rawIdleGap.median)}`, target: 'report',
    });
  }
  rows.push({ metric: 'bridge.info round trip (transport floor)', measured: `${ms(r.pingFloor.median)} (${r.pingFloor.p95.toFixed(3)})`, baseline: '', compare: '', target: 'report' });
  for (const b of BENCH) rows.push({ metric: `  ${b.alg}: daemon work beyond the floor`, measured: ms(r.seq[b.alg]!.beyondFloorMs), baseline: '', compare: '', target: 'report' });
  rows.push({ metric: 'sequential errors (JSON-RPC)', measured: String(r.seqErrors), baseline: '0', compare: '', target: '0', met: r.seqErrors === 0 });
  const p = r.par;
  rows.push({
    metric: `throughput, ${CONFIG.INFLIGHT} in flight / ${CONFIG.CONNECTIONS} conns / 2 tokens`, measured: `${p.apiPerSec} signs/s`,
    baseline: `${p.rawPerSec} signs/s`, compare: `×${p.ratio.toFixed(2)}`, target: `≥ ${TARGET.parRatio}× raw`, met: p.ratio >= TARGET.parRatio,
  });
  rows.push({
    metric: '  CPU per sign, all threads (+ bench client)', measured: `${ms(p.daemonCpuMsPerSign)} (+${p.clientCpuMsPerSign.toFixed(3)})`,
    baseline: ms(p.rawCpuMsPerSign), compare: plus(p.daemonCpuMsPerSign - p.rawCpuMsPerSign), target: 'report',
  });
  rows.push({ metric: '    of which main thread', measured: ms(p.daemonMainCpuMsPerSign), baseline: ms(p.rawMainCpuMsPerSign), compare: plus(p.daemonMainCpuMsPerSign - p.rawMainCpuMsPerSign), target: 'report' });
  rows.push({ metric: '  throughput ratio if CPU-bound (from CPU)', measured: `×${p.cpuBoundRatio.toFixed(2)}`, baseline: '', compare: 'raw ÷ (daemon + client)', target: 'report' });
  rows.push({
    metric: '  raw with 8 in flight (daemon cap 4/token)', measured: '', baseline: `${p.rawCapped8.perSec.toFixed(1)} signs/s, cpu ${p.rawCapped8.cpuMsPerSign.toFixed(3)}`,
    compare: `API ×${(p.apiPerSec / p.rawCapped8.perSec).toFixed(2)}`, target: 'report',
  });
  rows.push({
    metric: '  bridge.info, same load (transport floor)', measured: `${p.pingFloor.perSec.toFixed(0)} calls/s, cpu ${p.pingFloor.cpuMsPerSign.toFixed(3)} (+${p.pingFloor.clientCpuMsPerSign!.toFixed(3)})`,
    baseline: '', compare: '', target: 'report',
  });
  rows.push({ metric: 'parallel errors (JSON-RPC)', measured: `${p.errors} / ${CONFIG.PAR_ROUNDS * 2 * CONFIG.PER_TOKEN}`, baseline: String(p.rawErrors), compare: '', target: '0', met: p.errors === 0 });
  return rows;
}

function soakRows(r: Results, { CONFIG }: Settings): Row[] {
  const s = r.soak;
  const every = CONFIG.SOAK_SAMPLE_EVERY / 1000;
  const rss = s.samples.map((x) => x.rssMb);
  const heap = s.samples.map((x) => x.heapUsedMb);
  const rate = s.samples.slice(1).map((x) => x.perSec);
  return [
    {
      metric: `soak: ${s.total} sign.hash, RSS MB every ${every}k`, measured: rss.join(' '), baseline: '', compare: `${plus(s.rssGrowthMb, ' MB')} after warm-up`,
      target: 'flat after warm-up', met: s.flat,
    },
    { metric: '  heap after full GC, MB', measured: heap.join(' '), baseline: '', compare: `${plus(s.heapGrowthMb, ' MB')} after warm-up`, target: 'report' },
    { metric: '  signs/s per chunk (min / median / max)', measured: `${Math.min(...rate)} / ${[...rate].sort((a, b) => a - b)[Math.floor(rate.length / 2)]} / ${Math.max(...rate)}`, baseline: '', compare: '', target: 'report' },
    { metric: '  soak errors (JSON-RPC)', measured: `${s.errors} / ${s.total}`, baseline: '', compare: '', target: '0', met: s.errors === 0 },
  ];
}

function dialogRows(r: Results): Row[] {
  const d = r.dialogs;
  return [{
    metric: 'consent dialogs (in-process) / sign.hash sent', measured: `${d.confirm} / ${d.signHashCalls}`, baseline: '',
    compare: `PIN asked ${d.getPin}×, grant dialogs ${(d.confirmRawSigning ?? 0) + (d.confirmOrigin ?? 0)}`, target: 'one per sign.hash', met: d.confirm === d.signHashCalls,
  }, {
    metric: 'signatures verified (node:crypto)', measured: `${r.signaturesVerified - r.badSignatures} / ${r.signaturesVerified}`, baseline: '', compare: '', target: 'all', met: r.badSignatures === 0,
  }];
}

function startRows(r: Results, { TARGET, CONFIG }: Settings): Row[] {
  const st = r.start;
  const bare = `${ms(st.bareNodeMs.median)} (bare node)`;
  const rows: Row[] = [
    {
      metric: 'serve: cold start → listening, first (makes TLS)', measured: `${ms(st.firstMs.median)} (cpu ${st.firstCpuMs.median} ms)`, baseline: bare,
      compare: plus(st.firstMs.median - st.bareNodeMs.median), target: 'report',
    },
    {
      metric: 'serve: cold start → listening, TLS present', measured: `${ms(st.secondMs.median)} (cpu ${st.secondCpuMs.median} ms)`, baseline: bare,
      compare: plus(st.secondMs.median - st.bareNodeMs.median), target: `≤ ${TARGET.startMs} ms`, met: st.secondMs.median <= TARGET.startMs,
    },
  ];
  const i = r.idle;
  if (i) {
    const bare = `${i.bareNodeRssMb} MB (bare node)`;
    rows.push({ metric: `serve: RSS ${CONFIG.IDLE_WAIT_MS / 1000} s after start, no client`, measured: `${i.rssMb} MB`, baseline: bare, compare: plus(i.rssMb - i.bareNodeRssMb, ' MB'), target: 'report' });
    rows.push({
      metric: '  of which anonymous / file-backed', measured: `${i.anonMb} / ${i.fileMb} MB (PSS ${i.pssMb})`,
      baseline: `${i.bareNodeAnonMb} / ${i.bareNodeFileMb} MB`, compare: `anon ${plus(i.anonMb - i.bareNodeAnonMb, ' MB')}`, target: 'report',
    });
    rows.push({
      metric: `serve: idle RSS, settled (${CONFIG.IDLE_SETTLED_MS / 1000} s after start)`, measured: `${i.settledRssMb} MB (anon ${i.settledAnonMb}, file ${i.settledFileMb})`, baseline: bare,
      compare: plus(i.settledRssMb - i.bareNodeRssMb, ' MB'), target: `≤ ${TARGET.rssMb} MB`, met: i.settledRssMb <= TARGET.rssMb,
    });
    rows.push({ metric: `serve: idle CPU (${CONFIG.CPU_WINDOW_MS / 1000} s, tokens logged out)`, measured: `${i.cpuPercentOfOneCore}% of a core`, baseline: '', compare: '', target: 'report' });
  }
  rows.push({ metric: 'RSS after the parallel runs (before the soak)', measured: `${r.afterLoad.rssMb} MB`, baseline: '', compare: '', target: 'report' });
  rows.push({ metric: 'idle CPU after the soak (3 s, PIN cache open)', measured: `${r.afterLoad.loggedInIdleCpuPercent}% of a core`, baseline: '', compare: '', target: 'report' });
  return rows;
}

export function buildRows(r: Results, settings: Settings): Row[] {
  return [...signPathRows(r, settings), ...soakRows(r, settings), ...dialogRows(r), ...startRows(r, settings)];
}

export function roundDist(d: Dist): Dist {
  return { n: d.n, median: round(d.median), p95: round(d.p95), mean: round(d.mean), min: round(d.min), max: round(d.max) };
}

/** Rounds the numbers (and number arrays) of a flat record, for the JSON. */
export function roundAll<T extends object>(o: T): T {
  const r = (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => round(x as number, 2)) : typeof v === 'number' ? round(v, 3) : v);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, r(v)])) as T;
}
