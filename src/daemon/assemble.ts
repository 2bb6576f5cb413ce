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
import { GrantPolicy } from '../core/grants.js';
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
import { SqliteGrantStore } from '../state/grants.js';
import { DEFAULT_PORT, SHUTDOWN_GRACE_MS } from '../transport/limits.js';
import { startListener, type Listener } from '../transport/listener.js';
import { ensureTlsMaterial } from '../transport/tls.js';
import { BUILTIN_ORIGINS } from './builtin-origins.js';

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
  dialogTimeoutMs?: number;
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

export async function startBridge(o: BridgeOptions): Promise<RunningBridge> {
  const host = checkLoopbackHost(o.host);
  const { dir, config } = await readConfig(o.configFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { tokens, providers } = await openProviders(o, config);
  const credentials = new CredentialRegistry(providers);
  const lang = o.lang ?? config.lang ?? 'vi';
  const dialogs = o.dialogs ?? new PinentryDialogs({ program: o.pinentry ?? config.pinentry, timeoutMs: o.dialogTimeoutMs, lang });
  const pinCache = new PinCache(1000 * (o.pinCacheSeconds ?? config.pinCacheSeconds ?? 0));
  const store = new SqliteGrantStore(openStateDb(dir));
  store.syncConfig(config.allowOrigins ?? [], config.rawSigningOrigins ?? []);
  const grants = new GrantPolicy({
    store, dialogs, builtin: BUILTIN_ORIGINS,
    allowOrigins: [...(o.allowOrigins ?? []), ...(o.allowLocalPrograms ? [LOCAL_PROGRAM_ORIGIN] : [])].map(normalizeOrigin),
    rawSigningOrigins: (o.rawSigningOrigins ?? []).map(normalizeOrigin),
  });
  const trustAnchors = [...(o.trustAnchorFiles ?? []), ...(config.trustAnchors ?? [])].map((f) => readFileSync(f));
  const core = new BridgeService({
    credentials, dialogs, pinCache, grants, log: o.log,
    validation: { trustAnchors, revocation: o.revocation ?? config.revocation ?? 'prefer', lang, cacheDir: defaultCacheDir() },
  });
  const tlsOn = o.tls ?? true;
  const tls = tlsOn ? await ensureTlsMaterial(join(dir, 'tls')) : undefined;
  const api = await startListener({
    host, port: o.port ?? config.port ?? DEFAULT_PORT, tls, adapter: new JsonRpcAdapter(core, o.log),
    allowLocalPrograms: !!o.allowLocalPrograms, lang, log: o.log,
  });
  const listeners = [api];
  let closing: Promise<void> | undefined;
  const close = () => closing ??= (async () => {
    await Promise.all(listeners.map((l) => l.close(SHUTDOWN_GRACE_MS)));
    await pinCache.clear();
    await credentials.close();
    o.log.info('stopped');
  })();
  return { port: api.port, url: `${api.url}/v1`, caFile: tls?.caFile, listeners, tokens, core, close };
}
