// The core without listeners: config, credential providers (PKCS#11 tokens, .p12 files), dialogs,
// grants, validation and BridgeService. `startBridge` puts listeners on top of it; `kyso-bridge
// sign` uses it alone, as the machine's own user.
import { mkdirSync, readFileSync } from 'node:fs';
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
import { BUILTIN_ORIGINS } from './builtin-origins.js';

export interface CoreOptions {
  configFile?: string;
  modules?: string[];
  /** Certificate files (.p12/.pfx) served like tokens. */
  p12Files?: string[];
  pinentry?: string;
  allowOrigins?: string[];
  rawSigningOrigins?: string[];
  allowLocalPrograms?: boolean;
  /**
   * Origins that are not web origins and hold login + sign-documents (the CLI's LOCAL_USER_ORIGIN).
   * Never from a page: only code of this process passes them.
   */
  localOrigins?: string[];
  trustAnchorFiles?: string[];
  revocation?: RevocationPolicy;
  lang?: Lang;
  pinCacheSeconds?: number;
  /** Time-stamping services for documents (`--tsa`, repeatable); config `tsaUrls` adds more. */
  tsaUrls?: string[];
  dialogTimeoutMs?: number;
  /** Keep the token list current (slot polling, USB changes): what a daemon does. */
  watchTokens?: boolean;
  /** Tests and embedders may bring their own dialog provider. */
  dialogs?: Dialogs;
  log: Logger;
}

export interface AssembledCore {
  core: BridgeService;
  tokens: TokenManager;
  store: SqliteGrantStore;
  pinCache: PinCache;
  credentials: CredentialRegistry;
  /** Config dir (TLS material and state live here) and the loaded config. */
  dir: string;
  config: Config;
  lang: Lang;
  /** Web origins given by the command line (normalised), for the origins list. */
  allowOrigins: string[];
  rawSigningOrigins: string[];
  /** Logs out, forgets cached PINs, closes every provider. */
  close(): Promise<void>;
}

async function openProviders(o: CoreOptions, config: Config): Promise<{ tokens: TokenManager; providers: CredentialProvider[] }> {
  // Modules named by the user need no discovery (nor the driver catalogue it reads).
  const named = explicitModules({ cliModules: o.modules });
  const modules = named.length > 0 ? named : (await import('../pkcs11/discovery.js')).discoverModules({ cliModules: o.modules, configModules: config.modules });
  const tokens = new TokenManager({ modulePaths: modules.map((m) => m.path), log: o.log });
  for (const s of await tokens.open()) if (!s.loaded) o.log.warn({ module: s.path, error: s.error }, 'module not loaded');
  // Hot-plug watching (tokens.changed) is for a daemon; a one-shot command does without.
  const watcher = o.watchTokens ? new TokenWatcher(tokens, { log: o.log }) : undefined;
  const providers: CredentialProvider[] = [new Pkcs11Provider(tokens, watcher)];
  const p12Files = [...(o.p12Files ?? []), ...(config.p12Files ?? [])];
  if (p12Files.length > 0) {
    const { P12Provider } = await import('../p12/p12-provider.js');
    const p12 = new P12Provider({ files: p12Files, logger: o.log });
    await p12.refresh();
    providers.push(p12);
  }
  return { tokens, providers };
}

export async function buildCore(o: CoreOptions): Promise<AssembledCore> {
  const { dir, config } = await readConfig(o.configFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { tokens, providers } = await openProviders(o, config);
  const credentials = new CredentialRegistry(providers);
  const lang = o.lang ?? config.lang ?? 'vi';
  const dialogs = o.dialogs ?? new PinentryDialogs({ program: o.pinentry ?? config.pinentry, timeoutMs: o.dialogTimeoutMs, lang });
  const pinCache = new PinCache(1000 * (o.pinCacheSeconds ?? config.pinCacheSeconds ?? 0));
  const store = new SqliteGrantStore(openStateDb(dir));
  store.syncConfig(config.allowOrigins ?? [], config.rawSigningOrigins ?? []);
  // Web origins are normalised; the non-web ones (local programs, the CLI) are the bridge's own names.
  const allowOrigins = [...(o.allowOrigins ?? []).map(normalizeOrigin), ...(o.allowLocalPrograms ? [LOCAL_PROGRAM_ORIGIN] : [])];
  const rawSigningOrigins = (o.rawSigningOrigins ?? []).map(normalizeOrigin);
  const grants = new GrantPolicy({ store, dialogs, builtin: BUILTIN_ORIGINS, allowOrigins: [...allowOrigins, ...(o.localOrigins ?? [])], rawSigningOrigins });
  const trustAnchors = [...(o.trustAnchorFiles ?? []), ...(config.trustAnchors ?? [])].map((f) => readFileSync(f));
  const core = new BridgeService({
    credentials, dialogs, pinCache, grants, log: o.log,
    documents: { tsaUrls: [...(o.tsaUrls ?? []), ...(config.tsaUrls ?? [])], maxBytes: config.maxDocumentBytes },
    validation: { trustAnchors, revocation: o.revocation ?? config.revocation ?? 'prefer', lang, cacheDir: defaultCacheDir() },
  });
  const close = async () => {
    await pinCache.clear();
    await credentials.close();
  };
  return { core, tokens, store, pinCache, credentials, dir, config, lang, allowOrigins, rawSigningOrigins, close };
}
