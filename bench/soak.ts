// The soak: many sign.hash requests through one daemon (spread over its connections and both
// tokens, 64 in flight), with the daemon's RSS read from /proc every `sampleEvery` requests.
// After each RSS reading the daemon is asked over IPC for its heap after a full GC (bench-daemon.mjs
// runs with --expose-gc), which tells live JS objects apart from memory the allocator keeps.
import type { ChildProcess } from 'node:child_process';
import { parallel, verifySigned, type BenchCert } from './api.js';
import { memKb } from './procs.js';
import { round } from './report.js';
import type { RpcClient } from '../test/support/rpc-client.js';

export interface SoakSample {
  requests: number;
  rssMb: number;
  anonMb: number;
  /** After a forced full GC in the daemon (NaN when it could not collect). */
  heapUsedMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** Signs per second over the chunk that ended here. */
  perSec: number;
}

export interface SoakResult {
  total: number;
  errors: number;
  errorSample: string[];
  verified: number;
  badSignatures: number;
  samples: SoakSample[];
  /** RSS growth from the sample after warm-up (the first chunk) to the last one. */
  rssGrowthMb: number;
  heapGrowthMb: number;
  flat: boolean;
}

/** What counts as flat: the last RSS within this much of the lowest reading after warm-up. */
export const SOAK_FLAT_MB = 5;

interface MemReply { mem?: NodeJS.MemoryUsage; gc?: boolean; error?: string }

/** The daemon's process.memoryUsage() over IPC, after a full GC when it can. */
export function daemonMemory(child: ChildProcess, gc = true): Promise<MemReply> {
  return new Promise((res, rej) => {
    const t = setTimeout(() => { child.off('message', on); rej(new Error('daemon did not answer {cmd:mem}')); }, 30_000);
    const on = (m: MemReply) => { clearTimeout(t); child.off('message', on); res(m); };
    child.on('message', on);
    child.send({ cmd: 'mem', gc });
  });
}

function sample(child: ChildProcess, requests: number, perSec: number): Promise<SoakSample> {
  const m = memKb(child.pid!);
  return daemonMemory(child).then((r) => {
    const mb = (b: number | undefined) => (r.gc && b !== undefined ? round(b / 1048576, 1) : NaN);
    return {
      requests, rssMb: round(m.rss / 1024, 1), anonMb: round(m.anon / 1024, 1),
      heapUsedMb: mb(r.mem?.heapUsed), externalMb: mb(r.mem?.external), arrayBuffersMb: mb(r.mem?.arrayBuffers), perSec: round(perSec, 1),
    };
  });
}

/**
 * `total` sign.hash requests in chunks of `sampleEvery` (each chunk half on each certificate),
 * `inflight` at a time; one signature in `verifyEvery` is checked with node:crypto.
 */
export async function soak(
  child: ChildProcess, clients: RpcClient[], certs: BenchCert[],
  opts: { total: number; sampleEvery: number; inflight: number; verifyEvery: number; log?: (s: string) => void },
): Promise<SoakResult> {
  const samples: SoakSample[] = [await sample(child, 0, NaN)];
  let errors = 0;
  const errorSample = new Set<string>();
  let verified = 0;
  let bad = 0;
  for (let done = 0; done < opts.total; done += opts.sampleEvery) {
    const r = await parallel(clients, certs, opts.inflight, opts.sampleEvery / certs.length);
    errors += r.errors.length;
    for (const e of r.errors) if (errorSample.size < 5) errorSample.add(e);
    for (let i = 0; i < r.signed.length; i += opts.verifyEvery) {
      verified++;
      if (!verifySigned(r.signed[i]!)) bad++;
    }
    const s = await sample(child, done + opts.sampleEvery, (r.signs * 1000) / r.ms);
    samples.push(s);
    opts.log?.(`soak ${s.requests}: RSS ${s.rssMb} MB, heap after GC ${s.heapUsedMb} MB, ${s.perSec} signs/s`);
  }
  const afterWarmUp = samples.slice(1);
  const last = samples[samples.length - 1]!;
  const minRss = Math.min(...afterWarmUp.map((s) => s.rssMb));
  return {
    total: opts.total, errors, errorSample: [...errorSample], verified, badSignatures: bad, samples,
    rssGrowthMb: round(last.rssMb - afterWarmUp[0]!.rssMb, 1), heapGrowthMb: round(last.heapUsedMb - afterWarmUp[0]!.heapUsedMb, 2),
    flat: last.rssMb - minRss <= SOAK_FLAT_MB,
  };
}
