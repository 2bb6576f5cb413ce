// The demo portal: plain node:http, Vietnamese pages in the national portal's spirit, the SDK in
// the page and kyso-bridge/portal on the server. Its own origin is what the bridge sees, so the
// bridge (or a test) allow-lists `url`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SqliteChallengeStore } from '../store-sqlite.js';
import { normalizeOrigin } from '../token.js';
import type { FetchLike, RevocationMode, TrustAnchorInput } from '../validate.js';
import { AccountStore } from './accounts.js';
import { handleApi, HttpError, type ApiContext } from './api.js';
import { clientBundle, publicFile } from './assets.js';
import { Sessions, type Session } from './sessions.js';
import { sampleFor, submittedFile, verifySubmission, type Binary, type SubmissionKind } from './submission.js';

export interface DemoPortalOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The bridge endpoint the page connects to; default the SDK's (wss://127.0.0.1:15976/v1). */
  daemonUrl?: string;
  trustAnchors: TrustAnchorInput[];
  revocation?: RevocationMode;
  /** Accounts and challenges; default an in-memory database. */
  dbFile?: string;
  /** When the portal is reached through a proxy: the origin browsers see. Default the listening URL. */
  publicOrigin?: string;
  fetch?: FetchLike;
}

export interface DemoPortal {
  url: string;
  origin: string;
  /** Points later page loads at another bridge (tests start the bridge after the portal, to allow-list its origin). */
  setDaemonUrl(url: string): void;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(HttpError.of(413, 'TOO_LARGE')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size === 0) return resolve({});
      try {
        const v = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(v && typeof v === 'object' && !Array.isArray(v) ? v : {});
      } catch {
        reject(HttpError.of(400, 'BAD_JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** The bridge, and for wss:// its plain-HTTP hint (port + 1) the SDK asks when TLS is refused. */
function connectSources(daemonUrl: string): string {
  const u = new URL(daemonUrl);
  if (u.protocol !== 'wss:') return u.origin;
  return `${u.origin} http://${u.hostname}:${Number(u.port || 443) + 1}`;
}

function send(res: ServerResponse, status: number, body: Buffer | string, type: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function sendFile(res: ServerResponse, f: Binary): void {
  res.setHeader('Content-Disposition', `attachment; filename="${f.filename ?? 'tai-lieu'}"`);
  send(res, 200, f.body, f.type);
}

/** "Nộp hồ sơ" (raw bytes, not JSON): samples, signed files to verify, the last verified ones. */
async function handleSubmission(req: IncomingMessage, res: ServerResponse, m: RegExpExecArray, ctx: ApiContext, session: Session, opts: DemoPortalOptions): Promise<void> {
  const account = session.accountId !== undefined ? ctx.accounts.byId(session.accountId) : undefined;
  if (!account) throw HttpError.of(401, 'NOT_LOGGED_IN');
  const [, action, kind] = m as unknown as [string, string, SubmissionKind];
  if (action === 'sample' && req.method === 'GET') return sendFile(res, await sampleFor(kind, account));
  if (action === 'file' && req.method === 'GET') return sendFile(res, submittedFile(kind, session));
  if (action === 'verify' && req.method === 'POST') {
    return sendJson(res, 200, await verifySubmission(kind, req, session, { trustAnchors: opts.trustAnchors, revocation: opts.revocation ?? 'prefer', fetch: opts.fetch }));
  }
  throw HttpError.of(405, 'METHOD');
}

export async function startDemoPortal(opts: DemoPortalOptions): Promise<DemoPortal> {
  const host = opts.host ?? '127.0.0.1';
  const dbFile = opts.dbFile ?? ':memory:';
  const accounts = new AccountStore(dbFile);
  const challenges = new SqliteChallengeStore({ file: dbFile });
  let daemonUrl = new URL(opts.daemonUrl ?? 'wss://127.0.0.1:15976/v1').href;
  let origin = '';
  let ctx: ApiContext;
  const sessions = new Sessions(false);

  const server = createServer((req, res) => {
    void (async () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const route = `${req.method} ${path}`;
      res.setHeader('Content-Security-Policy',
        `default-src 'self'; connect-src 'self' ${connectSources(daemonUrl)}; img-src 'self' data:; frame-ancestors 'none'`);
      res.setHeader('Referrer-Policy', 'no-referrer');
      try {
        if (path.startsWith('/api/')) {
          // The API is for this portal's own pages only.
          if (req.method !== 'GET' && req.headers.origin !== origin) {
            throw HttpError.of(403, 'FORBIDDEN_ORIGIN');
          }
          const session = sessions.get(req, res);
          const submit = /^\/api\/submit\/(sample|verify|file)\/(pdf|xml)$/.exec(path);
          if (submit) return await handleSubmission(req, res, submit, ctx, session, opts);
          const body = req.method === 'POST' ? await readJson(req) : {};
          return sendJson(res, 200, await handleApi(ctx, route, session, body));
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') throw HttpError.of(405, 'METHOD');
        if (path === '/favicon.ico') { res.writeHead(204).end(); return; }
        if (path === '/kyso-bridge-client.js') return send(res, 200, await clientBundle(), 'text/javascript; charset=utf-8');
        if (path === '/config.js') {
          return send(res, 200, `window.KYSO_DEMO_CONFIG = ${JSON.stringify({ daemonUrl, origin })};\n`, 'text/javascript; charset=utf-8');
        }
        // Every page is the same single-page app; the path picks the first screen.
        const file = publicFile(path === '/' || !path.slice(1).includes('.') ? 'index.html' : path.slice(1));
        if (!file) throw HttpError.of(404, 'NOT_FOUND', {}, 'DEMO_PAGE_NOT_FOUND');
        return send(res, 200, file.body, file.type);
      } catch (e) {
        const err = e instanceof HttpError ? e : HttpError.of(500, 'INTERNAL');
        if (!(e instanceof HttpError)) console.error('[demo-portal]', e);
        if (!res.headersSent) sendJson(res, err.status, { error: { code: err.code, message: err.vi, messageEn: err.en, ...err.extra } });
        else res.end();
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  origin = normalizeOrigin(opts.publicOrigin ?? url) ?? url;
  ctx = {
    accounts, challenges,
    verify: {
      expectedOrigin: origin, trustAnchors: opts.trustAnchors, revocation: opts.revocation ?? 'prefer',
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    },
  };

  return {
    url,
    origin,
    setDaemonUrl: (u: string) => { daemonUrl = new URL(u).href; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => {
        accounts.close();
        challenges.close();
        resolve();
      });
    }),
  };
}
