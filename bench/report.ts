// Statistics and the printed table of the bench.

export interface Dist { n: number; median: number; p95: number; mean: number; min: number; max: number }

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function dist(samples: number[]): Dist {
  const s = [...samples].sort((a, b) => a - b);
  return {
    n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95),
    mean: s.reduce((a, b) => a + b, 0) / (s.length || 1), min: s[0], max: s[s.length - 1],
  };
}

export function median(xs: number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

export const round = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export interface Row {
  metric: string;
  measured: string;
  baseline: string;
  compare: string;
  target: string;
  /** true / false; undefined when the row has no target. */
  met?: boolean;
}

export function table(rows: Row[]): string {
  const head: Row = { metric: 'metric', measured: 'measured', baseline: 'raw baseline', compare: 'ratio / diff', target: 'target', met: undefined };
  const cells = (r: Row, isHead = false) => [r.metric, r.measured, r.baseline, r.compare, r.target, isHead ? 'met?' : r.met === undefined ? '–' : r.met ? 'yes' : 'NO'];
  const all = [cells(head, true), ...rows.map((r) => cells(r))];
  const widths = all[0].map((_, i) => Math.max(...all.map((c) => c[i].length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(all[0]), sep, ...all.slice(1).map(line)].join('\n');
}

export const ms = (x: number) => `${x.toFixed(3)} ms`;
