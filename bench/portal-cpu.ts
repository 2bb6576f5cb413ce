// CPU time of processes and all their descendants, from /proc (Linux; 10 ms ticks). On a shared
// machine wall-clock throughput depends on the neighbours; CPU per verification does much less.
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100;

function stat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by these processes and their descendants. */
export function cpuMsOfTrees(roots: number[]): number {
  const all = new Map<number, { ppid: number; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = stat(pid);
    if (st) all.set(pid, st);
  }
  const wanted = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, st] of all) if (!wanted.has(pid) && wanted.has(st.ppid)) { wanted.add(pid); grew = true; }
  }
  let ticks = 0;
  for (const pid of wanted) ticks += all.get(pid)?.ticks ?? 0;
  return (ticks * 1000) / CLK_TCK;
}

/** This process's own CPU milliseconds (the load client). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
