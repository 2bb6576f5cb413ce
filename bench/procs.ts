// Child processes of the bench: the daemon CLI started like a user would (timed from spawn to its
// "kyso-bridge: ws…" line), /proc readings (RSS, CPU), and cleanup of everything we started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The built CLI; KYSO_BENCH_CLI measures another build (e.g. a patched copy) — diagnostics only. */
export const CLI = resolve(process.env.KYSO_BENCH_CLI ?? 'dist/bin/kyso-bridge.js');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function trackDir(dir: string): string {
  tempDirs.add(dir);
  return dir;
}

/** Kills what is still running (by pid, only our children) and removes our temp dirs. */
export function cleanupAll(): void {
  for (const c of children) { try { c.kill('SIGKILL'); } catch { /* gone */ } }
  children.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

export interface StartedDaemon {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Spawn → "kyso-bridge: …" line on stdout, ms. */
  startMs: number;
  /** CPU the daemon had used (all its threads) when that line arrived, ms (10 ms resolution). */
  startCpuMs: number;
  stderr: string[];
  /** Everything it wrote on stdout so far. */
  stdout(): string;
  stop(): Promise<number | null>;
}

/** Spawns `node dist/bin/kyso-bridge.js serve …` and waits for the line that says where it listens. */
export function startDaemon(args: string[], env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 20_000): Promise<StartedDaemon> {
  return startListening([...nodeArgs, CLI, 'serve', ...args], env, timeoutMs);
}

/**
 * Spawns bench/bench-daemon.mjs (the built bridge with in-process dialogs, for the sign-path
 * runs), with an IPC channel for memory readings and heap snapshots.
 */
export function startBenchDaemon(env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 20_000): Promise<StartedDaemon> {
  return startListening([...nodeArgs, BENCH_DAEMON], { KYSO_BENCH_DIST: dirname(dirname(CLI)), ...env }, timeoutMs, true);
}

const BENCH_DAEMON = resolve('bench/bench-daemon.mjs');

function startListening(argv: string[], env: Record<string, string>, timeoutMs: number, ipc = false): Promise<StartedDaemon> {
  const t0 = performance.now();
  const child = track(spawn(process.execPath, argv, {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc' as const] : [])],
  }));
  const stderr: string[] = [];
  child.stderr!.on('data', (d) => stderr.push(...String(d).split('\n').filter(Boolean)));
  return new Promise((res, rej) => {
    let out = '';
    let started = false;
    const fail = (why: string) => { clearTimeout(timer); child.kill('SIGKILL'); rej(new Error(`daemon ${why}:\n${stderr.join('\n')}`)); };
    const timer = setTimeout(() => fail('did not start in time'), timeoutMs);
    const onExit = (code: number | null) => fail(`exited ${code}`);
    child.once('exit', onExit);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (started) return;
      const m = /kyso-bridge: (\S+)/.exec(out);
      if (!m) return;
      started = true;
      const startMs = performance.now() - t0;
      let startCpuMs = NaN;
      try { startCpuMs = (cpuTicks(child.pid!) * 1000) / CLK_TCK; } catch { /* exited meanwhile */ }
      clearTimeout(timer);
      child.off('exit', onExit);
      res({
        child, pid: child.pid!, url: m[1], startMs, startCpuMs, stderr, stdout: () => out,
        stop: () => stopChild(child),
      });
    });
  });
}

/** SIGTERM, then SIGKILL after 8 s; resolves with the exit code. */
export function stopChild(child: ChildProcess): Promise<number | null> {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) { res(child.exitCode); return; }
    const k = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.once('exit', (code) => { clearTimeout(k); res(code); });
    child.kill('SIGTERM');
  });
}

/** Spawn → first stdout byte of a bare `node -e`: the floor any Node daemon starts from. */
export function bareNodeStartMs(): Promise<number> {
  const t0 = performance.now();
  const child = track(spawn(process.execPath, ['-e', 'process.stdout.write("up\\n")'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  return new Promise((res, rej) => {
    child.stdout!.once('data', () => res(performance.now() - t0));
    child.once('error', rej);
  });
}

/** A bare idle Node process (an interval timer), for the RSS floor. */
export function spawnBareIdleNode(): ChildProcess {
  return track(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }));
}

export function rssKb(pid: number): number {
  return memKb(pid).rss;
}

/**
 * RSS and its parts: anonymous (heap, V8, malloc: this process's own) and file-backed (mostly the
 * node binary's pages, shared with every other Node process); PSS shares shared pages out.
 */
export function memKb(pid: number): { rss: number; anon: number; file: number; pss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (text: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  let pss = NaN;
  try { pss = field(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss'); } catch { /* older kernel */ }
  return { rss: field(status, 'VmRSS'), anon: field(status, 'RssAnon'), file: field(status, 'RssFile'), pss };
}

/** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
export function cpuTicks(pid: number): number {
  return ticksOf(`/proc/${pid}/stat`);
}

/** CPU ticks of the whole process and of its main thread (tid = pid: JS, I/O, synchronous PKCS#11 calls). */
export function cpuSplit(pid: number): { total: number; main: number } {
  return { total: cpuTicks(pid), main: ticksOf(`/proc/${pid}/task/${pid}/stat`) };
}

function ticksOf(file: string): number {
  const stat = readFileSync(file, 'utf8');
  // Fields after the ")" that closes comm: state is field 3, utime 14, stime 15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

export const CLK_TCK = 100;

/** CPU use of `pid` over `ms`, as % of one core. */
export async function idleCpuPercent(pid: number, ms: number): Promise<number> {
  const a = cpuTicks(pid);
  const t0 = performance.now();
  await sleep(ms);
  const b = cpuTicks(pid);
  return (100 * (b - a) / CLK_TCK) / ((performance.now() - t0) / 1000);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
