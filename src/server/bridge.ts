// Assembles a running bridge from options: token layer, dialogs, state, validation, core,
// policy, daemon. `kyso-bridge serve`, the demo and the tests all start it through here.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Lang } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import { loadConfig } from '../config/config.js';
import { BridgeService } from '../core/bridge-service.js';
import type { Dialogs } from '../core/dialogs.js';
import { PinCache } from '../core/pin-cache.js';
import { defaultCacheDir, type RevocationPolicy } from '../certs/index.js';
import { KysoError } from '../errors.js';
import { discoverModules } from '../pkcs11/discovery.js';
import { TokenManager } from '../pkcs11/token-manager.js';
import { PinentryDialogs } from '../pin/dialogs.js';
import { openStateDb } from '../state/db.js';
import { OriginStore } from '../state/origins.js';
import { startDaemon, type Daemon } from './daemon.js';
import { DEFAULT_ALLOWED_ORIGINS, DEFAULT_PORT } from './limits.js';
import { OriginPolicy } from './origin-policy.js';
import { TokenWatcher } from './token-watcher.js';
import { startControlServer } from '../control/server.js';
import { startTlsHint } from '../hint/tls-hint.js';
import { VERSION } from '../version.js';

export interface BridgeOptions {
  port?: number;
  host?: string;
  tls?: boolean;
  configFile?: string;
  modules?: string[];
  pinentry?: string;
  allowOrigins?: string[];
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

export interface RunningBridge extends Daemon {
  tokens: TokenManager;
  core: BridgeService;
}

export function checkLoopbackHost(host: string | undefined): '127.0.0.1' | '::1' {
  const h = host ?? '127.0.0.1';
  if (h === '127.0.0.1' || h === '::1') return h;
  if (h === 'localhost') return '127.0.0.1';
  throw new KysoError('INVALID_PARAMS', {}, `--host must be a loopback address (127.0.0.1 or ::1), not ${h}`);
}

export async function startBridge(o: BridgeOptions): Promise<RunningBridge> {
  const host = checkLoopbackHost(o.host);
  const { dir, config } = loadConfig(o.configFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const modules = discoverModules({ cliModules: o.modules, configModules: config.modules });
  const tokens = new TokenManager({ modulePaths: modules.map((m) => m.path), log: o.log });
  for (const s of await tokens.open()) if (!s.loaded) o.log.warn({ module: s.path, error: s.error }, 'module not loaded');
  const lang = o.lang ?? config.lang ?? 'vi';
  const dialogs = o.dialogs ?? new PinentryDialogs({ program: o.pinentry ?? config.pinentry, timeoutMs: o.dialogTimeoutMs, lang });
  const pinCache = new PinCache(1000 * (o.pinCacheSeconds ?? config.pinCacheSeconds ?? 0));
  const trustAnchors = [...(o.trustAnchorFiles ?? []), ...(config.trustAnchors ?? [])].map((f) => readFileSync(f));
  const core = new BridgeService({
    tokens, dialogs, pinCache, log: o.log,
    validation: { trustAnchors, revocation: o.revocation ?? config.revocation ?? 'prefer', lang, cacheDir: defaultCacheDir() },
  });
  const store = new OriginStore(openStateDb(dir));
  store.syncConfig(config.allowOrigins ?? []);
  const allowList = [...DEFAULT_ALLOWED_ORIGINS, ...(config.allowOrigins ?? []), ...(o.allowOrigins ?? [])];
  const policy = new OriginPolicy({ store, dialogs, allowLocalPrograms: !!o.allowLocalPrograms, allowList });
  const watcher = new TokenWatcher(tokens, { log: o.log });
  const daemon = await startDaemon({
    host, port: o.port ?? config.port ?? DEFAULT_PORT, tls: o.tls ?? true, configDir: dir, lang,
    core, policy, pinCache, watcher, log: o.log,
  });
  const control = await startControlServer({
    core, origins: { list: () => store.list(), allowList }, listeners: [daemon.url], version: VERSION, configDir: dir, caFile: daemon.caFile, log: o.log,
  });
  const hint = (o.tls ?? true) && daemon.port === (o.port ?? config.port ?? DEFAULT_PORT) ? await startTlsHint({ host, tlsPort: daemon.port, wssUrl: daemon.url, log: o.log }) : undefined;
  return { ...daemon, tokens, core, close: async () => { await control?.close(); await hint?.close(); await daemon.close(); } };
}
