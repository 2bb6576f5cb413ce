// The bench measures the built daemon: build dist/ when it is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLI } from './procs.js';

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when missing or older than src/ or bin/; a failed build over an existing dist/ only warns. */
export function ensureBuilt(log: (s: string) => void): { built: boolean; warning?: string } {
  if (process.env.KYSO_BENCH_CLI) return { built: false, warning: `measured KYSO_BENCH_CLI=${CLI}` };
  const stale = !existsSync(CLI) || Math.max(newestSource('src'), newestSource('bin')) > statSync(CLI).mtimeMs;
  if (!stale) return { built: false };
  log('dist/ missing or stale: npm run build');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
    return { built: true };
  } catch (e) {
    if (!existsSync(CLI)) throw e;
    const warning = 'npm run build failed; measured the existing (possibly stale) dist/';
    log(warning);
    return { built: false, warning };
  }
}

export function gitCommit(): string | undefined {
  try { return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return undefined; }
}
