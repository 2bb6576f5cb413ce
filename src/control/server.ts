// The control channel: a Unix socket through which the CLI (`status`, `tokens`, `certs`,
// `origins`, `doctor`) sees what the running daemon sees. Read-only; never reachable from a web
// page (no TCP, no HTTP). Who may connect is decided by the kernel: the socket is 0600 inside a
// 0700 directory owned by the daemon's user, so only that user (and root) can connect(). Node
// exposes no SO_PEERCRED, so the peer's uid is not read again here.
import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../log.js';
import type { TokenJson } from '../types.js';
import { controlSocketPath, preparePrivateDir } from './paths.js';
import {
  CONTROL_IDLE_MS, ControlRequestSchema, MAX_CONTROL_LINE_BYTES,
  type ControlOriginsResult, type ControlReply, type ControlRequest, type ControlStatus,
} from './protocol.js';

/** What the control channel reads from the core: the local user's view, no grant, no dialog. */
export interface ControlCore {
  listTokens(): Promise<TokenJson[]>;
  listCertificates(tokenId: undefined, ctx: { lang?: 'vi' | 'en' }): Promise<unknown[]>;
  tokens: { moduleStatus(): ControlStatus['modules'] };
}

export interface ControlServerOptions {
  core: ControlCore;
  origins: { list(): ControlOriginsResult['entries']; allowList: string[] };
  listeners: string[];
  version: string;
  configDir: string;
  caFile?: string;
  log: Logger;
  /** Default controlSocketPath(). */
  path?: string;
}

export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

/** Is a daemon answering on this socket? (A file left by a crash refuses the connection.) */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

async function dispatch(req: ControlRequest, o: ControlServerOptions, startedAt: string): Promise<unknown> {
  switch (req.method) {
    case 'status': {
      const status: ControlStatus = {
        name: 'kyso-bridge', version: o.version, pid: process.pid, listeners: o.listeners,
        tokens: (await o.core.listTokens()).length, configDir: o.configDir, caFile: o.caFile,
        modules: o.core.tokens.moduleStatus().map(({ path, name, loaded, error }) => ({ path, name, loaded, ...(error ? { error } : {}) })),
        startedAt,
      };
      return status;
    }
    case 'tokens':
      return o.core.listTokens();
    case 'certificates':
      return o.core.listCertificates(undefined, { lang: req.params?.lang });
    case 'origins':
      return { entries: o.origins.list(), allowList: o.origins.allowList } satisfies ControlOriginsResult;
  }
}

function serve(socket: Socket, o: ControlServerOptions, startedAt: string): void {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.setTimeout(CONTROL_IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const reply = (r: ControlReply) => { if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`); };
  const tooLarge = (s: string) => Buffer.byteLength(s) > MAX_CONTROL_LINE_BYTES;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0 || tooLarge(buffer)) {
      // Every line is capped, whether or not its newline came in the same read.
      const line = nl >= 0 ? buffer.slice(0, nl) : buffer;
      if (tooLarge(line)) {
        reply({ id: null, error: { code: 'INVALID_PARAMS', message: 'request too large' } });
        socket.end();
        return;
      }
      buffer = buffer.slice(nl + 1);
      let parsed;
      try {
        parsed = ControlRequestSchema.safeParse(JSON.parse(line));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        reply({ id: null, error: { code: 'INVALID_PARAMS', message: 'not a control request' } });
        continue;
      }
      const req = parsed.data;
      dispatch(req, o, startedAt).then(
        (result) => reply({ id: req.id, result }),
        (e: unknown) => {
          o.log.warn({ method: req.method, err: (e as Error)?.message }, 'control request failed');
          reply({ id: req.id, error: { code: (e as { code?: string })?.code ?? 'INTERNAL', message: (e as Error)?.message ?? String(e) } });
        },
      );
    }
  });
}

/**
 * Starts the control socket. When another live daemon of this user already holds it, logs a
 * warning and returns undefined: the bridge still runs, the CLI then reads tokens directly.
 */
export async function startControlServer(o: ControlServerOptions): Promise<ControlServer | undefined> {
  const path = o.path ?? controlSocketPath();
  try {
    preparePrivateDir(path);
    if (await answers(path)) {
      o.log.warn({ path }, 'control socket held by another kyso-bridge; running without one');
      return undefined;
    }
    rmSync(path, { force: true });
  } catch (e) {
    o.log.warn({ path, err: (e as Error).message }, 'control socket not started');
    return undefined;
  }
  const startedAt = new Date().toISOString();
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    serve(s, o, startedAt);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  o.log.info({ path }, 'control socket listening');
  let closing: Promise<void> | undefined;
  return {
    path,
    close: () => closing ??= new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
