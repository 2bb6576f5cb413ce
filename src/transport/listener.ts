// One loopback port: HTTP(S) server, Host/Origin checks before the WebSocket upgrade, frame and
// connection caps, and one adapter session per socket. A daemon runs several listeners (our API,
// the vendor-compatible ports) over the same core.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AdapterSession, Peer, ProtocolAdapter } from '../adapters/protocol-adapter.js';
import type { Lang } from '../i18n/messages.js';
import { KysoError } from '../errors.js';
import type { Logger } from '../log.js';
import { MAX_CONNECTIONS_PER_ORIGIN, MAX_LARGE_FRAME_CONNECTIONS_PER_ORIGIN, SMALL_FRAME_BYTES } from './limits.js';
import { hostAllowed, originAtUpgrade } from './origin-check.js';

export interface ListenerOptions {
  host: '127.0.0.1' | '::1';
  /** 0: any free port. */
  port: number;
  tls?: { certPem: string; keyPem: string };
  adapter: ProtocolAdapter;
  allowLocalPrograms: boolean;
  /** The daemon's language; `?lang=vi|en` on the URL overrides it per socket. */
  lang: Lang;
  log: Logger;
}

export interface Listener {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets running requests finish up to `graceMs`, then closes every socket. */
  close(graceMs: number): Promise<void>;
}

let nextPeerId = 1;

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

function peerLang(url: URL, fallback: Lang): Lang {
  const l = url.searchParams.get('lang');
  return l === 'en' || l === 'vi' ? l : fallback;
}

export async function startListener(opts: ListenerOptions): Promise<Listener> {
  const { adapter, log } = opts;
  const server: Server = opts.tls ? createHttpsServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }) : createHttpServer();
  const wss = new WebSocketServer({ noServer: true, maxPayload: adapter.maxFrameBytes, perMessageDeflate: false });
  // An adapter that takes whole documents in one frame (the vendor protocols) may buffer tens of
  // MB per socket: such a port allows only a few sockets per origin.
  const connectionsPerOrigin = adapter.maxFrameBytes > SMALL_FRAME_BYTES ? MAX_LARGE_FRAME_CONNECTIONS_PER_ORIGIN : MAX_CONNECTIONS_PER_ORIGIN;
  const sessions = new Set<AdapterSession>();
  const aborts = new Set<AbortController>();
  const perOrigin = new Map<string, number>();
  let port = opts.port;

  server.on('request', (req, res) => {
    if (!hostAllowed(req.headers.host, port)) { res.writeHead(403).end('Forbidden host'); return; }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.writeHead(adapter.acceptsPath(path) ? 426 : 404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`kyso-bridge: ${adapter.name} WebSocket endpoint`);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req.headers.host, port)) { log.warn({ host: req.headers.host, listener: adapter.name }, 'refused: Host'); refuse(socket, 403, 'Forbidden host'); return; }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!adapter.acceptsPath(url.pathname)) { refuse(socket, 404, 'Not found'); return; }
    const verdict = originAtUpgrade(req.headers.origin, opts.allowLocalPrograms);
    if (!verdict.accept) { log.warn({ reason: verdict.reason, listener: adapter.name }, 'refused: Origin'); refuse(socket, 403, 'Forbidden origin'); return; }
    const origin = verdict.origin;
    if ((perOrigin.get(origin) ?? 0) >= connectionsPerOrigin) { refuse(socket, 429, 'Too many connections'); return; }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, origin, url.pathname, peerLang(url, opts.lang)));
  });

  function accept(ws: WebSocket, origin: string, path: string, lang: Lang): void {
    const abort = new AbortController();
    aborts.add(abort);
    const peer: Peer = {
      id: nextPeerId++, origin, path, lang, signal: abort.signal,
      send: (text) => { if (ws.readyState === ws.OPEN) ws.send(text); },
      close: (code, reason) => ws.close(code, reason),
    };
    const session = adapter.open(peer);
    sessions.add(session);
    perOrigin.set(origin, (perOrigin.get(origin) ?? 0) + 1);
    log.info({ conn: peer.id, origin, listener: adapter.name }, 'connected');
    let frames = 0;
    ws.on('message', (data, isBinary) => {
      // One-request protocols: a second frame on the socket is not part of the protocol.
      if (adapter.mode === 'one' && frames++ > 0) { ws.close(1008, 'one request per connection'); return; }
      void session.onFrame((data as Buffer).toString('utf8'), isBinary);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      // A closed socket cancels its open dialogs: nobody is there to see the answer.
      abort.abort();
      aborts.delete(abort);
      session.onClose();
      sessions.delete(session);
      perOrigin.set(origin, (perOrigin.get(origin) ?? 1) - 1);
      log.info({ conn: peer.id, origin, listener: adapter.name }, 'disconnected');
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port, exclusive: true }, () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  const hostPart = opts.host === '::1' ? '[::1]' : opts.host;
  const url = `${opts.tls ? 'wss' : 'ws'}://${hostPart}:${port}`;
  log.info({ url, listener: adapter.name }, 'listening');

  let closing: Promise<void> | undefined;
  const close = (graceMs: number) => closing ??= (async () => {
    server.close();
    // Open dialogs end now with a clear answer to the page ("the signing tool stopped"); work
    // already on a token gets the grace period.
    for (const a of aborts) a.abort(new KysoError('BRIDGE_STOPPED'));
    // Let running operations finish (a sign half-way on the token), up to the grace period.
    await Promise.race([
      Promise.allSettled([...sessions].map((s) => s.drain())),
      new Promise((r) => setTimeout(r, graceMs).unref()),
    ]);
    for (const ws of wss.clients) ws.close(1001, 'kyso-bridge stopping');
    wss.close();
    server.closeAllConnections?.();
  })();
  return { name: adapter.name, port, url, close };
}
