// A real PostgreSQL server for a test: initdb in a temp dir, listening only on a unix socket in
// that dir, synchronous_commit and fsync on. PostgreSQL refuses to run as root, so as root it
// runs as the `postgres` system user (setpriv execs directly: the pid we hold is the server's).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import type { TestServer } from './test-server.js';

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin dir, or undefined. */
export function postgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(PG_ROOT, versions[0], 'bin') : undefined;
}

export const POSTGRES_AVAILABLE = postgresBin() !== undefined;

/** As root: setpriv to the `postgres` system user (uid/gid from /etc/passwd, checked). */
function asPostgresUser(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'))?.split(':');
  const uid = Number(entry?.[2]);
  const gid = Number(entry?.[3]);
  if (!entry || !(uid > 0) || !(gid > 0)) throw new Error('no unprivileged postgres user in /etc/passwd (the postgresql package creates it)');
  return { prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups'], uid, gid };
}

/** Whether every directory from / down to dir lets other users through (the server runs as postgres). */
function traversable(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (d === dirname(d)) return true;
  }
}

/** The temp base the server user can reach: os.tmpdir(), else /var/tmp or /dev/shm (a 0700 /tmp happens). */
function baseDir(asOtherUser: boolean): string {
  if (!asOtherUser) return tmpdir();
  const found = [tmpdir(), '/var/tmp', '/dev/shm'].find(traversable);
  if (!found) throw new Error('no temp directory the postgres user can reach (tried $TMPDIR, /var/tmp, /dev/shm)');
  return found;
}

/**
 * postgres://kyso@/postgres?host=<dir>. `stop` is a fast shutdown (SIGINT); `kill` an immediate
 * one (SIGQUIT): no checkpoint, crash recovery from the WAL on the next start — a SIGKILLed
 * postmaster would leave its backends holding the shared memory. `pid` is the postmaster's.
 */
export type TestPostgres = TestServer;

export async function startPostgres(opts: { maxConnections?: number } = {}): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (scripts/system-deps.sh installs it)');
  const user = asPostgresUser();
  const dir = mkdtempSync(join(baseDir(user.uid !== undefined), 'kyso-pg-'));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
  const data = join(dir, 'data');
  const init = spawnSync(user.prefix[0] ?? join(bin, 'initdb'), [...user.prefix.slice(1), ...(user.prefix.length ? [join(bin, 'initdb')] : []),
    '-D', data, '-A', 'trust', '-U', 'kyso', '-E', 'UTF8', '--no-sync'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const logs: string[] = [];
  let child: ChildProcess | undefined;
  const url = `postgres://kyso@/postgres?host=${encodeURIComponent(dir)}`;

  const start = async () => {
    const args = [join(bin, 'postgres'), '-D', data, '-k', dir, '-c', 'listen_addresses=',
      '-c', 'synchronous_commit=on', '-c', 'fsync=on', '-c', `max_connections=${opts.maxConnections ?? 100}`];
    const [cmd, ...rest] = [...user.prefix, ...args];
    child = spawn(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
    const exited = new Promise<never>((_, rej) => child!.once('exit', (c) => rej(new Error(`postgres exited ${c}:\n${logs.join('\n')}`))));
    exited.catch(() => undefined);
    // Ready when it answers a query (not when a log line appears).
    const deadline = Date.now() + 30_000;
    for (;;) {
      const c = new pg.Client({ connectionString: url });
      try {
        await Promise.race([c.connect(), exited]);
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch (e) {
        await c.end().catch(() => undefined);
        if (child.exitCode !== null || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };

  const signal = (sig: NodeJS.Signals) => new Promise<void>((res) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) { res(); return; }
    c.once('exit', () => res());
    c.kill(sig);
  });

  await start();
  return {
    url, dir, logs, start,
    pid: () => child?.pid,
    stop: () => signal('SIGINT'),
    kill: () => signal('SIGQUIT'),
    cleanup: async () => {
      await signal('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
