// A real redis-server for a test: a temp dir, a unix socket there (no TCP port), and the
// durability the verifier's single use needs (appendonly yes, appendfsync always).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { TestServer } from './test-server.js';

export const REDIS_AVAILABLE = spawnSync('redis-server', ['--version']).status === 0;

/** redis+unix:///<dir>/redis.sock; `kill` is a SIGKILL (what was fsynced to the AOF survives). */
export interface TestRedis extends TestServer {
  socket: string;
  /** SIGSTOP / SIGCONT: a server that hangs without closing its connections. */
  pause(): void;
  resume(): void;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-redis-'));
  const socket = join(dir, 'redis.sock');
  const logs: string[] = [];
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--dir', dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxclients', '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
    child.stderr!.on('data', (d) => logs.push(...String(d).split('\n').filter(Boolean)));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = new Redis({ path: socket, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      r.on('error', () => undefined);
      try {
        await r.connect();
        // Loading the AOF after a restart answers LOADING: ready only when PING works.
        await r.ping();
        r.disconnect();
        return;
      } catch (e) {
        r.disconnect();
        if (child.exitCode !== null) throw new Error(`redis-server exited ${child.exitCode}:\n${logs.join('\n')}`);
        if (Date.now() > deadline) throw e;
        await new Promise((res) => setTimeout(res, 50));
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
    url: `redis+unix://${socket}`, socket, dir, logs, start,
    pid: () => child?.pid,
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    pause: () => { child?.kill('SIGSTOP'); },
    resume: () => { child?.kill('SIGCONT'); },
    cleanup: async () => {
      child?.kill('SIGCONT');
      await signal('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
