// The CLI side of the control channel: one request, one answer. "No daemon" (no socket, or a
// socket nobody answers) is a normal result, undefined; anything else is an error.
import { createConnection } from 'node:net';
import { controlSocketPath } from './paths.js';
import type { ControlMethod } from './protocol.js';

export class ControlError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ControlError';
  }
}

export interface ControlCallOptions {
  path?: string;
  /** Certificates may wait for OCSP/CRL answers: generous by default. */
  timeoutMs?: number;
  lang?: 'vi' | 'en';
}

const NO_DAEMON = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);

export function controlCall<T>(method: ControlMethod, opts: ControlCallOptions = {}): Promise<T | undefined> {
  const path = opts.path ?? controlSocketPath();
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffer = '';
    let done = false;
    const finish = (fn: () => void) => { if (!done) { done = true; socket.destroy(); fn(); } };
    socket.setEncoding('utf8');
    socket.setTimeout(opts.timeoutMs ?? 60_000, () => finish(() => reject(new ControlError('TIMEOUT', `control socket ${path}: no answer`))));
    socket.once('error', (e: NodeJS.ErrnoException) => finish(() => (NO_DAEMON.has(e.code ?? '') ? resolve(undefined) : reject(e))));
    socket.once('connect', () => socket.write(`${JSON.stringify({ id: 1, method, ...(opts.lang ? { params: { lang: opts.lang } } : {}) })}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      let reply: { result?: T; error?: { code: string; message: string } };
      try {
        reply = JSON.parse(buffer.slice(0, nl));
      } catch {
        finish(() => reject(new ControlError('INTERNAL', 'control socket: unreadable answer')));
        return;
      }
      if (reply.error) finish(() => reject(new ControlError(reply.error!.code, reply.error!.message)));
      else finish(() => resolve(reply.result as T));
    });
    socket.once('close', () => finish(() => reject(new ControlError('INTERNAL', 'control socket closed without an answer'))));
  });
}
