// Assembles a running bridge from options: the core (build-core.ts: providers, dialogs, state,
// grants, validation) and the listeners with their adapters, the control socket and the TLS hint.
// `kyso-bridge serve`, the demo and the tests all start it through here.
import { join } from 'node:path';
import { JsonRpcAdapter } from '../adapters/jsonrpc/adapter.js';
import type { BridgeService } from '../core/bridge-service.js';
import { GRANTS, type Grant } from '../core/grants.js';
import { KysoError } from '../errors.js';
import type { TokenManager } from '../pkcs11/token-manager.js';
import type { OriginGrants } from '../state/grants.js';
import { DEFAULT_PORT, SHUTDOWN_GRACE_MS } from '../transport/limits.js';
import { startListener, type Listener } from '../transport/listener.js';
import { ensureTlsMaterial } from '../transport/tls.js';
import { BUILTIN_ORIGINS } from './builtin-origins.js';
import { buildCore, type CoreOptions } from './build-core.js';
import { compatFeatures, parseCompatNames, startCompatListeners, type CompatName, type CompatStatus } from './compat.js';
import { startControlServer } from '../control/server.js';
import { startTlsHint } from '../hint/tls-hint.js';
import { VERSION } from '../version.js';

export interface BridgeOptions extends CoreOptions {
  port?: number;
  host?: string;
  tls?: boolean;
  /** Vendor-compatible endpoints to open (default: config `compat`, else all); false: none. */
  compat?: string | readonly string[] | boolean;
  /** Ports other than the vendors' for them (tests use 0). */
  compatPorts?: Partial<Record<CompatName, number>>;
}

export interface RunningBridge {
  /** The JSON-RPC listener's port and URL (with its /v1 path). */
  port: number;
  url: string;
  caFile?: string;
  listeners: Listener[];
  /** The compatibility endpoints: listening, or skipped with who holds the port. */
  compat: CompatStatus[];
  tokens: TokenManager;
  core: BridgeService;
  close(): Promise<void>;
}

export function checkLoopbackHost(host: string | undefined): '127.0.0.1' | '::1' {
  const h = host ?? '127.0.0.1';
  if (h === '127.0.0.1' || h === '::1') return h;
  if (h === 'localhost') return '127.0.0.1';
  throw new KysoError('INVALID_PARAMS', {}, `--host must be a loopback address (127.0.0.1 or ::1), not ${h}`);
}

/** The stored grants plus what this daemon's command line gives (shown as 'config'). */
function withCommandLine(stored: OriginGrants[], allowOrigins: string[], rawSigningOrigins: string[]): OriginGrants[] {
  const byOrigin = new Map(stored.map((e) => [e.origin, e]));
  const add = (origin: string, grants: readonly Grant[]) => {
    const e = byOrigin.get(origin) ?? { origin, grants: [], denied: [], source: 'config' as const, updatedAt: null };
    if (e.source === 'builtin') return;
    e.grants = GRANTS.filter((g) => e.grants.includes(g) || grants.includes(g));
    e.denied = e.denied.filter((g) => !grants.includes(g));
    e.source = 'config';
    byOrigin.set(origin, e);
  };
  for (const o of allowOrigins) add(o, ['login', 'sign-documents']);
  for (const o of rawSigningOrigins) add(o, GRANTS);
  return [...byOrigin.values()].sort((a, b) => a.origin.localeCompare(b.origin));
}

export async function startBridge(o: BridgeOptions): Promise<RunningBridge> {
  const host = checkLoopbackHost(o.host);
  const assembled = await buildCore({ ...o, watchTokens: true });
  const { core, tokens, store, dir, config, lang, allowOrigins, rawSigningOrigins } = assembled;
  let compatNames: CompatName[];
  try {
    compatNames = parseCompatNames(o.compat ?? config.compat); // a bad name fails before anything opens
  } catch (e) {
    await assembled.close();
    throw e;
  }
  const tlsOn = o.tls ?? true;
  const tls = tlsOn ? await ensureTlsMaterial(join(dir, 'tls')) : undefined;
  const port = o.port ?? config.port ?? DEFAULT_PORT;
  let compat: CompatStatus[] = [];
  const api = await startListener({ host, port, tls, adapter: new JsonRpcAdapter(core, o.log, { features: () => compatFeatures(compat) }), allowLocalPrograms: !!o.allowLocalPrograms, lang, log: o.log });
  const vendor = await startCompatListeners({
    core, names: compatNames, ports: o.compatPorts, tls, allowLocalPrograms: !!o.allowLocalPrograms, lang, log: o.log,
  });
  compat = vendor.status;
  const listeners = [api, ...vendor.listeners];
  const url = `${api.url}/v1`;
  // The CLI's view of this daemon (local user only), and the plain-HTTP hint that lets a page
  // tell "TLS not trusted" from "not running" (only on the port the user asked for).
  const control = await startControlServer({
    core: { listTokens: () => core.localTokens(), listCertificates: (_t, ctx) => core.localCertificates(ctx.lang), tokens },
    origins: { list: () => withCommandLine(store.list(BUILTIN_ORIGINS), allowOrigins, rawSigningOrigins), allowList: [...BUILTIN_ORIGINS, ...allowOrigins, ...rawSigningOrigins] },
    listeners: [url, ...compat.flatMap((c) => c.url ? [c.url] : [])], version: VERSION, configDir: dir, caFile: tls?.caFile, log: o.log,
  });
  const hint = tls && api.port === port ? await startTlsHint({ host, tlsPort: api.port, wssUrl: url, log: o.log }) : undefined;
  let closing: Promise<void> | undefined;
  const close = () => closing ??= (async () => {
    await control?.close();
    await hint?.close();
    await Promise.all(listeners.map((l) => l.close(SHUTDOWN_GRACE_MS)));
    await assembled.close();
    o.log.info('stopped');
  })();
  return { port: api.port, url, caFile: tls?.caFile, listeners, compat, tokens, core, close };
}
