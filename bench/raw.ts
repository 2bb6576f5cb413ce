// The raw pkcs11js baseline as a child process (bench/raw-worker.ts), one command at a time over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { sleep, stopChild, track } from './procs.js';
import type { RawCommand, RawReply } from './raw-worker.js';

export class RawWorker {
  private readonly child: ChildProcess;
  get pid(): number { return this.child.pid!; }
  constructor(env: Record<string, string>) {
    // Diagnostics only (skews the figures): KYSO_BENCH_RAW_NODE_ARGS="--cpu-prof …".
    const nodeArgs = (process.env.KYSO_BENCH_RAW_NODE_ARGS ?? '').split(' ').filter(Boolean);
    this.child = track(fork(resolve('bench/raw-worker.ts'), [], {
      execArgv: ['--import', 'tsx', ...nodeArgs], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }));
  }
  call(c: RawCommand): Promise<RawReply> {
    return new Promise((res, rej) => {
      const onExit = (code: number | null) => rej(new Error(`raw worker exited ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (r: RawReply) => {
        this.child.off('exit', onExit);
        if (r.ok) res(r); else rej(new Error(`raw worker: ${r.error}`));
      });
      this.child.send(c);
    });
  }
  async stop(): Promise<void> {
    const exited = new Promise((r) => this.child.once('exit', r));
    await this.call({ cmd: 'exit' }).catch(() => undefined);
    await Promise.race([exited, sleep(5_000)]);
    await stopChild(this.child);
  }
}
