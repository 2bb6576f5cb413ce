// The verifier service: a stateless HTTP JSON front for kyso-bridge/portal, so a portal written
// in any language verifies proofs with two calls. All state is in the challenge store: run as
// many instances as needed behind any load balancer. Loopback by default; it belongs behind the
// portal's own TLS and authentication.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '../log.js';
import { createPortalVerifier, type PortalVerifier } from '../portal/portal-verifier.js';
import type { ChallengeStore } from '../portal/store.js';
import { createChallengeStore, type CreateStoreOptions } from '../portal/store-url.js';
import type { FetchLike, RevocationMode, TrustAnchorInput } from '../portal/validate.js';
import { VerifierMetrics } from './metrics.js';
import { HttpProblem } from './problem.js';
import { ROUTES, type Reply, type RouteContext } from './routes.js';
import { timedStore } from './timed-store.js';

export const DEFAULT_VERIFIER_HOST = '127.0.0.1';
export const DEFAULT_VERIFIER_PORT = 15980;

export interface VerifierServiceOptions {
  /** Store URL (memory:, sqlite:…, postgres://…, redis://…) or a store object (kept open on close). */
  store: string | ChallengeStore;
  storeOptions?: CreateStoreOptions;
  /** The portal's origin the proofs must be made for. */
  origin: string;
  trustAnchors: TrustAnchorInput[];
  revocation?: RevocationMode;
  challengeTtlMs?: number;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  log?: Logger;
  /** For OCSP/CRL/AIA (tests point the fixture URLs at a loopback responder). */
  fetch?: FetchLike;
  verdictTtlMs?: number;
}

export interface VerifierService {
  url: string;
  host: string;
  port: number;
  metrics: VerifierMetrics;
  verifier: PortalVerifier;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(res: ServerResponse, [status, body, type]: Reply, extraHeaders: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': type ?? JSON_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff', ...extraHeaders,
  });
  res.end(text);
}

export async function startVerifierService(opts: VerifierServiceOptions): Promise<VerifierService> {
  const log = opts.log ?? silentLogger;
  const metrics = new VerifierMetrics();
  const owned = typeof opts.store === 'string';
  const store = typeof opts.store === 'string' ? await createChallengeStore(opts.store, opts.storeOptions) : opts.store;
  const verifier = await createPortalVerifier({
    expectedOrigin: opts.origin, trustAnchors: opts.trustAnchors, revocation: opts.revocation ?? 'prefer',
    store: timedStore(store, metrics),
    ...(opts.challengeTtlMs ? { challengeTtlMs: opts.challengeTtlMs } : {}),
    ...(opts.verdictTtlMs !== undefined ? { verdictTtlMs: opts.verdictTtlMs } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const ctx: RouteContext = { verifier, metrics, healthTimeoutMs: 2_000 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    const path = (req.url ?? '/').split('?')[0];
    const route = Object.prototype.hasOwnProperty.call(ROUTES, path) ? ROUTES[path] : undefined;
    const label = route ? path : 'other';
    let reply: Reply;
    const headers: Record<string, string> = {};
    try {
      if (!route) throw new HttpProblem(404, 'NOT_FOUND');
      if (req.method !== route.method) {
        headers.Allow = route.method;
        throw new HttpProblem(405, 'METHOD_NOT_ALLOWED');
      }
      reply = await route.handle(ctx, req);
    } catch (e) {
      if (!(e instanceof HttpProblem)) log.error({ route: label, err: (e as Error)?.message }, 'verifier: internal error');
      const p = e instanceof HttpProblem ? e : new HttpProblem(500, 'INTERNAL');
      // An oversized body is not read to its end: close the connection after the answer.
      if (p.status === 413) headers.Connection = 'close';
      reply = [p.status, p.body()];
    }
    if (res.destroyed) return;
    send(res, reply, headers);
    metrics.requests.inc({ route: label, status: String(reply[0]) });
    metrics.requestSeconds.observe({ route: label }, (performance.now() - t0) / 1000);
    log.debug({ route: label, method: req.method, status: reply[0], ms: Math.round(performance.now() - t0) }, 'request');
  };

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 10_000 }, (req, res) => {
    void handle(req, res);
  });
  const host = opts.host ?? DEFAULT_VERIFIER_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_VERIFIER_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url, host, port, metrics, verifier,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await verifier.close();
      if (owned) await store.close?.();
    },
  };
}
