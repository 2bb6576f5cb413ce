// Assembles a running bridge from options: credential providers (PKCS#11 tokens, .p12 files),
// dialogs, state, grants, validation, the core, and the listeners with their adapters.
// `kyso-bridge serve`, the demo and the tests all start it through here.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonRpcAdapter } from '../adapters/jsonrpc/adapter.js';
// Only what starting needs loads here; the certificate libraries (X.509, ASN.1, PKCS#12) load on
// first use, which keeps the daemon's start time and idle memory down.
import { defaultCacheDir } from '../certs/paths.js';
import type { RevocationPolicy } from '../certs/types.js';
import type { Config } from '../config/config.js';
import { readConfig } from '../config/config-file.js';
import { BridgeService } from '../core/bridge-service.js';
import { CredentialRegistry } from '../core/credential-registry.js';
import type { CredentialProvider } from '../core/credentials.js';
import type { Dialogs } from '../core/dialogs.js';
import { GRANTS, GrantPolicy, type Grant } from '../core/grants.js';
import { PinCache } from '../core/pin-cache.js';
import { KysoError } from '../errors.js';
import type { Lang } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import { LOCAL_PROGRAM_ORIGIN, normalizeOrigin } from '../origin.js';
import { PinentryDialogs } from '../pin/dialogs.js';
import { explicitModules } from '../pkcs11/explicit-modules.js';
import { Pkcs11Provider } from '../pkcs11/pkcs11-provider.js';
import { TokenManager } from '../pkcs11/token-manager.js';
import { TokenWatcher } from '../pkcs11/token-watcher.js';
import { openStateDb } from '../state/db.js';
import { SqliteGrantStore, type OriginGrants } from '../state/grants.js';
import { DEFAULT_PORT, SHUTDOWN_GRACE_MS } from '../transport/limits.js';
import { startListener, type Listener } from '../transport/listener.js';
import { ensureTlsMaterial } from '../transport/tls.js';
import { BUILTIN_ORIGINS } from './builtin-origins.js';
import { compatFeatures, parseCompatNames, startCompatListeners, type CompatName, type CompatStatus } from './compat.js';
import { startControlServer } from '../control/server.js';
import { startTlsHint } from '../hint/tls-hint.js';
import { VERSION } from '../version.js';

export interface BridgeOptions {
  port?: number;
  host?: string;
  tls?: boolean;
  configFile?: string;
  modules?: string[];
  /** Certificate files (.p12/.pfx) served like tokens. */
  p12Files?: string[];
  pinentry?: string;
  allowOrigins?: string[];
  rawSigningOrigins?: string[];
  allowLocalPrograms?: boolean;
  trustAnchorFiles?: string[];
  revocation?: RevocationPolicy;
  lang?: Lang;
  pinCacheSeconds?: number;
  /** Time-stamping services for documents (`--tsa`, repeatable); config `tsaUrls` adds more. */
  tsaUrls?: string[];
  dialogTimeoutMs?: number;
  /** Vendor-compatible endpoints to open (default: config `compat`, else all); false: none. */
  compat?: string | readonly string[] | boolean;
  /** Ports other than the vendors' for them (tests use 0). */
  compatPorts?: Partial<Record<CompatName, number>>;
  /** Tests and embedders may bring their own dialog provider. */
  dialogs?: Dialogs;
  log: Logger;
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

async function openProviders(o: BridgeOptions, config: Config): Promise<{ tokens: TokenManager; providers: CredentialProvider[] }> {
  // Modules named by the user need no discovery (nor the driver catalogue it reads).
  const named = explicitModules({ cliModules: o.modules });
  const modules = named.length > 0 ? named : (await import('../pkcs11/discovery.js')).discoverModules({ cliModules: o.modules, configModules: config.modules });
  const tokens = new TokenManager({ modulePaths: modules.map((m) => m.path), log: o.log });
  for (const s of await tokens.open()) if (!s.loaded) o.log.warn({ module: s.path, error: s.error }, 'module not loaded');
  const providers: CredentialProvider[] = [new Pkcs11Provider(tokens, new TokenWatcher(tokens, { log: o.log }))];
  const p12Files = [...(o.p12Files ?? []), ...(config.p12Files ?? [])];
  if (p12Files.length > 0) {
    const { P12Provider } = await import('../p12/p12-provider.js');
    const p12 = new P12Provider({ files: p12Files, logger: o.log });
    await p12.refresh();
    providers.push(p12);
  }
  return { tokens, providers };
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
  const { dir, config } = await readConfig(o.configFile);
  const compatNames = parseCompatNames(o.compat ?? config.compat); // a bad name fails before anything opens
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { tokens, providers } = await openProviders(o, config);
  const credentials = new CredentialRegistry(providers);
  const lang = o.lang ?? config.lang ?? 'vi';
  const dialogs = o.dialogs ?? new PinentryDialogs({ program: o.pinentry ?? config.pinentry, timeoutMs: o.dialogTimeoutMs, lang });
  const pinCache = new PinCache(1000 * (o.pinCacheSeconds ?? config.pinCacheSeconds ?? 0));
  const store = new SqliteGrantStore(openStateDb(dir));
  store.syncConfig(config.allowOrigins ?? [], config.rawSigningOrigins ?? []);
  const allowOrigins = [...(o.allowOrigins ?? []), ...(o.allowLocalPrograms ? [LOCAL_PROGRAM_ORIGIN] : [])].map(normalizeOrigin);
  const rawSigningOrigins = (o.rawSigningOrigins ?? []).map(normalizeOrigin);
  const grants = new GrantPolicy({ store, dialogs, builtin: BUILTIN_ORIGINS, allowOrigins, rawSigningOrigins });
  const trustAnchors = [...(o.trustAnchorFiles ?? []), ...(config.trustAnchors ?? [])].map((f) => readFileSync(f));
  const core = new BridgeService({
    credentials, dialogs, pinCache, grants, log: o.log,
    documents: { tsaUrls: [...(o.tsaUrls ?? []), ...(config.tsaUrls ?? [])], maxBytes: config.maxDocumentBytes },
    validation: { trustAnchors, revocation: o.revocation ?? config.revocation ?? 'prefer', lang, cacheDir: defaultCacheDir() },
  });
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
    await pinCache.clear();
    await credentials.close();
    o.log.info('stopped');
  })();
  return { port: api.port, url, caFile: tls?.caFile, listeners, compat, tokens, core, close };
}
