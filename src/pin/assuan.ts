// A minimal Assuan client for one pinentry process: spawn, greeting, one command at a time.
// The whole interaction runs under our own timer (a dialog nobody answers must not hold a
// signing request forever); on expiry the process is killed and the pending command fails.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { KysoError } from '../errors.js';
import { assuanCommandLine, assuanUnescapeBytes } from './escape.js';

/** An `ERR code text` reply. `code` is the full gpg-error value (source << 24 | code). */
export class AssuanError extends Error {
  constructor(readonly code: number, readonly text: string) {
    super(`Assuan ERR ${code} ${text}`);
    this.name = 'AssuanError';
  }
  /** The gpg-error code without its source part. */
  get errCode(): number {
    return this.code & 0xffff;
  }
}

export interface AssuanReply {
  /** Concatenated, unescaped `D` lines (UTF-8). */
  data: string;
  /** `S` status lines, raw (keyword and arguments). */
  status: string[];
  /** Text after `OK`. */
  ok: string;
}

export interface AssuanSpawnOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Whole-interaction limit in ms; on expiry the process is killed → KysoError TIMEOUT. */
  timeoutMs: number;
  signal?: AbortSignal;
}

interface Pending {
  resolve(r: AssuanReply): void;
  reject(e: Error): void;
  data: Buffer[];
  status: string[];
}

export class AssuanClient {
  private buf = Buffer.alloc(0);
  private pending: Pending | undefined;
  private failure: Error | undefined;
  private stderrTail = '';
  private timer: NodeJS.Timeout | undefined;
  private exited = false;
  /** Removes the abort listener: a connection's one signal outlives many dialogs. */
  private detachAbort: (() => void) | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly program: string) {}

  /** Spawn the program and wait for its greeting. */
  static async connect(program: string, opts: AssuanSpawnOptions): Promise<AssuanClient> {
    const child = spawn(program, opts.args ?? [], { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const client = new AssuanClient(child, program);
    client.attach(opts);
    await client.await();
    return client;
  }

  private attach(opts: AssuanSpawnOptions): void {
    const { child } = this;
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-500);
    });
    // EPIPE when the process died mid-write: the exit handler reports it.
    child.stdin.on('error', () => undefined);
    child.on('error', (err: NodeJS.ErrnoException) => {
      this.exited = true;
      this.fail(err.code === 'ENOENT' || err.code === 'EACCES' ? missingPinentry(this.program, err.code) : internal(`pinentry "${this.program}" failed: ${err.message}`));
    });
    child.on('exit', (code, sig) => {
      this.exited = true;
      const tail = this.stderrTail.trim();
      this.fail(internal(`pinentry "${this.program}" exited unexpectedly (${sig ?? `code ${code}`})${tail ? `: ${tail}` : ''}`));
    });
    this.timer = setTimeout(() => {
      this.fail(new KysoError('TIMEOUT', {}, `no answer in the PIN/consent dialog within ${Math.round(opts.timeoutMs / 1000)} s`));
      this.kill();
    }, opts.timeoutMs);
    this.timer.unref?.();
    if (opts.signal) {
      const onAbort = (): void => {
        const r: unknown = opts.signal!.reason;
        this.fail(r instanceof KysoError ? r : new KysoError('USER_CANCELLED', {}, 'dialog aborted'));
        this.kill();
      };
      if (opts.signal.aborted) onAbort();
      else {
        const signal = opts.signal;
        signal.addEventListener('abort', onAbort, { once: true });
        this.detachAbort = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  /** Send one command (argument escaped here) and wait for OK/ERR. */
  async command(cmd: string, arg?: string): Promise<AssuanReply> {
    if (this.failure) throw this.failure;
    if (this.pending) throw internal('Assuan: a command is already in progress');
    const p = this.await();
    this.child.stdin.write(assuanCommandLine(cmd, arg) + '\n');
    return p;
  }

  /** Say BYE (best effort) and make sure the process is gone. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.detachAbort?.();
    this.detachAbort = undefined;
    if (!this.failure && !this.exited) {
      try {
        await Promise.race([this.command('BYE'), new Promise((r) => setTimeout(r, 1000).unref())]);
      } catch {
        /* already failing or gone: nothing to tell the user */
      }
    }
    this.failure ??= internal('Assuan connection closed');
    this.kill();
  }

  private await(): Promise<AssuanReply> {
    return new Promise<AssuanReply>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending = { resolve, reject, data: [], status: [] };
    });
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    clearTimeout(this.timer);
    this.detachAbort?.();
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  private kill(): void {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    // A pinentry stuck in a terminal may ignore TERM.
    setTimeout(() => {
      if (!this.exited) this.child.kill('SIGKILL');
    }, 2000).unref();
  }

  private onData(chunk: Buffer): void {
    const all = Buffer.concat([this.buf, chunk]);
    // Best-effort wiping: these bytes may hold a PIN (a `D` line); don't leave copies for the GC.
    this.buf.fill(0);
    chunk.fill(0);
    let start = 0;
    let nl: number;
    while ((nl = all.indexOf(0x0a, start)) >= 0) {
      let line = all.subarray(start, nl);
      start = nl + 1;
      if (line.length && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      this.onLine(line);
    }
    this.buf = Buffer.from(all.subarray(start));
    all.fill(0);
  }

  private onLine(line: Buffer): void {
    const p = this.pending;
    // Data lines stay bytes (no string copy of a PIN before it is decoded once).
    if (line[0] === 0x44 && line[1] === 0x20) {
      p?.data.push(assuanUnescapeBytes(line.subarray(2)));
      return;
    }
    const text = line.toString('utf8');
    if (text.startsWith('#') || text === '') return; // comment
    if (!p) return; // unsolicited line (nothing pending): ignore
    if (text === 'OK' || text.startsWith('OK ')) {
      this.pending = undefined;
      const joined = Buffer.concat(p.data);
      const data = joined.toString('utf8');
      joined.fill(0);
      for (const b of p.data) b.fill(0);
      p.resolve({ data, status: p.status, ok: text.slice(3) });
    } else if (text.startsWith('ERR ')) {
      this.pending = undefined;
      for (const b of p.data) b.fill(0);
      const m = /^ERR (\d+) ?(.*)$/.exec(text);
      p.reject(new AssuanError(m ? Number(m[1]) : 0, m ? m[2]! : text.slice(4)));
    } else if (text.startsWith('S ')) {
      p.status.push(text.slice(2));
    } else if (text.startsWith('INQUIRE ')) {
      // We never ask for inquiries (no quality bar, no cache); answer empty.
      this.child.stdin.write('END\n');
    }
  }
}

function internal(detail: string): KysoError {
  return new KysoError('INTERNAL', {}, detail);
}

export function missingPinentry(program: string | undefined, why = 'ENOENT'): KysoError {
  const what = program ? `pinentry program "${program}" cannot be run (${why})` : 'no pinentry program found';
  return new KysoError(
    'INTERNAL',
    { pinentry: program ?? null },
    `${what}. Install one: apt-get install pinentry-gnome3 (desktop) or apt-get install pinentry-tty (terminal), or pass --pinentry PROGRAM`,
  );
}
