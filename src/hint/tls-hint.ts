// A plain-HTTP hint next to the wss:// port (port + 1): a browser hides why a wss:// connection
// failed, so the SDK asks here. An answer means "kyso-bridge runs, your browser refused its
// certificate" (fix: `kyso-bridge trust install`); no answer means nothing is listening. It only
// says that kyso-bridge runs and where — what bridge.info says to any page once TLS is trusted.
import { createServer, type Server } from 'node:http';
import type { Logger } from '../log.js';

export const TLS_HINT_PATH = '/kyso-bridge-hint';
/** The hint listens on the wss port + this (the SDK knows the same rule). */
export const TLS_HINT_PORT_OFFSET = 1;

export interface TlsHint {
  port: number;
  close(): Promise<void>;
}

function hostOk(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** Starts the hint; when its port is taken it logs and returns undefined (the bridge runs on). */
export async function startTlsHint(o: { host: '127.0.0.1' | '::1'; tlsPort: number; wssUrl: string; log: Logger }): Promise<TlsHint | undefined> {
  const port = o.tlsPort + TLS_HINT_PORT_OFFSET;
  const server: Server = createServer((req, res) => {
    // Host checked like the daemon's: a DNS-rebinding page must not read even this.
    if (!hostOk(req.headers.host, port) || new URL(req.url ?? '/', 'http://x').pathname !== TLS_HINT_PATH) {
      res.writeHead(404).end();
      return;
    }
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Private-Network': 'true' }).end();
      return;
    }
    if (req.method !== 'GET') { res.writeHead(405).end(); return; }
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json' }).end(JSON.stringify({ name: 'kyso-bridge', wss: o.wssUrl }));
  });
  server.headersTimeout = 5_000;
  server.requestTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: o.host, port, exclusive: true }, () => resolve());
    });
  } catch (e) {
    o.log.warn({ port, err: (e as Error).message }, 'TLS hint port not available; pages cannot tell an untrusted certificate from a stopped bridge');
    return undefined;
  }
  return { port, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
