// What the CLI (`tokens`, `certs`, `origins`, `doctor`) reads: the running daemon's view over the
// control socket when one runs, otherwise the tokens read directly. The ONE place that chooses
// between the two (the direct path will move onto the core when the core is reshaped).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import type { CertificateStatus, RevocationPolicy } from '../certs/index.js';
import { controlCall } from '../control/client.js';
import type { ControlOriginsResult, ControlStatus } from '../control/protocol.js';
import { discoverModules } from '../pkcs11/discovery.js';
import type { ModuleStatus } from '../pkcs11/module.js';
import { TokenManager } from '../pkcs11/token-manager.js';
import { Pkcs11Provider } from '../pkcs11/pkcs11-provider.js';
import { openLocalView as openLocalView0 } from '../core/local-view.js';
import type { CertificateJson, TokenJson } from '../types.js';

export type CertificateWithStatus = CertificateJson & { status: CertificateStatus };

export interface ViewOptions {
  /** --module: these modules only, read directly (never the daemon's). */
  modules?: string[];
  /** --config FILE; undefined: the default config. */
  configFile?: string;
  trustAnchorFiles?: string[];
  revocation?: RevocationPolicy;
  lang?: 'vi' | 'en';
  /** Per-validation network timeout when reading directly. */
  timeoutMs?: number;
  controlPath?: string;
  /** Read directly even when a daemon runs (the caller asked for its own modules/anchors/policy). */
  local?: boolean;
}

export interface TokenView {
  source: 'daemon' | 'local';
  /** The daemon's status when source is 'daemon'. */
  daemon?: ControlStatus;
  /** Candidate module paths found (local) or the daemon's modules. */
  modules: Pick<ModuleStatus, 'path' | 'name' | 'loaded' | 'error'>[];
  tokens(): Promise<TokenJson[]>;
  certificates(): Promise<CertificateWithStatus[]>;
  close(): void;
}

/** The config directory the user chose explicitly (--config or KYSO_CONFIG_DIR), if any. */
function explicitConfigDir(configFile: string | undefined): string | undefined {
  if (configFile) return dirname(resolve(configFile));
  return process.env.KYSO_CONFIG_DIR ? resolve(process.env.KYSO_CONFIG_DIR) : undefined;
}

/**
 * The running daemon's status, when it is the one the user means: any daemon of this user
 * unless a config was chosen explicitly, then only the daemon using that config directory.
 */
export async function daemonFor(opts: Pick<ViewOptions, 'configFile' | 'controlPath'> = {}): Promise<ControlStatus | undefined> {
  const status = await controlCall<ControlStatus>('status', { path: opts.controlPath, timeoutMs: 30_000 });
  if (!status) return undefined;
  const wanted = explicitConfigDir(opts.configFile);
  return !wanted || resolve(status.configDir) === wanted ? status : undefined;
}

export async function openTokenView(opts: ViewOptions): Promise<TokenView> {
  const daemon = opts.local || opts.modules?.length ? undefined : await daemonFor(opts);
  if (daemon) {
    return {
      source: 'daemon', daemon, modules: daemon.modules,
      tokens: async () => (await controlCall<TokenJson[]>('tokens', { path: opts.controlPath })) ?? [],
      certificates: async () => (await controlCall<CertificateWithStatus[]>('certificates', { path: opts.controlPath, lang: opts.lang })) ?? [],
      close: () => undefined,
    };
  }
  return openLocalView(opts);
}

async function openLocalView(opts: ViewOptions): Promise<TokenView> {
  const { config } = loadConfig(opts.configFile);
  const candidates = discoverModules({ cliModules: opts.modules, configModules: config.modules });
  const manager = new TokenManager({ modulePaths: candidates.map((c) => c.path) });
  const modules = await manager.open();
  const trustAnchors = [...(opts.trustAnchorFiles ?? []), ...(config.trustAnchors ?? [])].map((f) => readFileSync(f));
  // Through the core's own view: the same validation and certificate view as the daemon's.
  const view = openLocalView0([new Pkcs11Provider(manager)], {
    trustAnchors, revocation: opts.revocation ?? config.revocation ?? 'prefer', lang: opts.lang ?? config.lang,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return {
    source: 'local', modules,
    tokens: () => view.tokens(),
    certificates: () => view.certificates(opts.lang ?? config.lang),
    close: () => { void view.close(); },
  };
}

/** Website decisions: the daemon's (with what it allows from its command line), else the state file's. */
export async function readOrigins(opts: Pick<ViewOptions, 'configFile' | 'controlPath'>, local: () => ControlOriginsResult): Promise<ControlOriginsResult & { source: 'daemon' | 'local' }> {
  if (await daemonFor(opts)) {
    const r = await controlCall<ControlOriginsResult>('origins', { path: opts.controlPath });
    if (r) return { ...r, source: 'daemon' };
  }
  return { ...local(), source: 'local' };
}
