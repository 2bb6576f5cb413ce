// The loopback daemon: HTTP(S) server, Host/Origin checks before the WebSocket upgrade, one
// Connection per socket, tokens.changed notifications, and a clean shutdown.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Lang } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import type { BridgeService } from '../core/bridge-service.js';
import type { PinCache } from '../core/pin-cache.js';
import { notificationFrame } from '../protocol/jsonrpc.js';
import { Connection } from './connection.js';
import { API_PATH, MAX_CONNECTIONS_PER_ORIGIN, MAX_FRAME_BYTES, SHUTDOWN_GRACE_MS } from './limits.js';
import { hostAllowed, type OriginPolicy } from './origin-policy.js';
import { ensureTlsMaterial } from './tls.js';
import type { TokenWatcher } from './token-watcher.js';

export interface DaemonOptions {
  host: '127.0.0.1' | '::1';
  port: number;
  tls: boolean;
  configDir: string;
  lang: Lang;
  core: BridgeService;
  policy: OriginPolicy;
  pinCache: PinCache;
  watcher: TokenWatcher;
  log: Logger;
}

export interface Daemon {
  port: number;
  url: string;
  caFile?: string;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { log } = opts;
  let server: Server;
  let caFile: string | undefined;
  if (opts.tls) {
    const tls = await ensureTlsMaterial(join(opts.configDir, 'tls'));
    caFile = tls.caFile;
    server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem });
  } else {
    server = createHttpServer();
  }
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const connections = new Set<Connection>();
  const perOrigin = new Map<string, number>();
  let port = opts.port;

  server.on('request', (req, res) => {
    if (!hostAllowed(req.headers.host, port)) { res.writeHead(403).end('Forbidden host'); return; }
    res.writeHead(req.url?.startsWith(API_PATH) ? 426 : 404, { 'Content-Type': 'text/plain; charset=utf-8' })
      .end('kyso-bridge: WebSocket API at ' + API_PATH);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req.headers.host, port)) { log.warn({ host: req.headers.host }, 'refused: Host'); refuse(socket, 403, 'Forbidden host'); return; }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== API_PATH) { refuse(socket, 404, 'Not found'); return; }
    const verdict = opts.policy.atUpgrade(req.headers.origin);
    if (!verdict.accept) { log.warn({ reason: verdict.reason }, 'refused: Origin'); refuse(socket, 403, 'Forbidden origin'); return; }
    const origin = verdict.origin;
    if ((perOrigin.get(origin) ?? 0) >= MAX_CONNECTIONS_PER_ORIGIN) { refuse(socket, 429, 'Too many connections'); return; }
    const lang: Lang = url.searchParams.get('lang') === 'en' ? 'en' : url.searchParams.get('lang') === 'vi' ? 'vi' : opts.lang;
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, origin, lang, opts.core, opts.policy, log);
      connections.add(conn);
      perOrigin.set(origin, (perOrigin.get(origin) ?? 0) + 1);
      log.info({ conn: conn.id, origin }, 'connected');
      ws.on('error', () => ws.terminate());
      ws.on('close', () => {
        connections.delete(conn);
        perOrigin.set(origin, (perOrigin.get(origin) ?? 1) - 1);
        log.info({ conn: conn.id, origin }, 'disconnected');
      });
    });
  });

  opts.core.tokens.on('changed', (tokens) => {
    const frame = notificationFrame('tokens.changed', { tokens });
    for (const c of connections) if (c.approved) c.send(frame);
  });
  opts.watcher.start();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port, exclusive: true }, () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const hostPart = opts.host === '::1' ? '[::1]' : opts.host;
  const url = `${opts.tls ? 'wss' : 'ws'}://${hostPart}:${port}${API_PATH}`;
  log.info({ url }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () => closing ??= (async () => {
    opts.watcher.stop();
    server.close();
    // Let running operations finish (a sign half-way on the token), up to the grace period.
    await Promise.race([
      Promise.allSettled([...connections].map((c) => c.drain())),
      new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref()),
    ]);
    for (const ws of wss.clients) ws.close(1001, 'kyso-bridge stopping');
    wss.close();
    await opts.pinCache.clear();
    opts.core.tokens.close();
    server.closeAllConnections?.();
    log.info('stopped');
  })();
  return { port, url, caFile, close };
}
