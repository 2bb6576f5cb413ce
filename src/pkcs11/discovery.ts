// Which PKCS#11 modules to load. Explicit choices (--module, KYSO_PKCS11_MODULES) are taken as
// they are; otherwise the config file, p11-kit registrations and the driver catalogue are merged,
// keeping the paths that exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { moduleCandidatePaths } from '../hardware/catalogue.js';
import { dedupe, explicitModules, type ModuleCandidate } from './explicit-modules.js';

export type { ModuleCandidate, ModuleSource } from './explicit-modules.js';

export const P11KIT_CONFIG_DIRS = ['/usr/share/p11-kit/modules', '/etc/pkcs11/modules'];
const P11KIT_MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/pkcs11', '/usr/lib/aarch64-linux-gnu/pkcs11', '/usr/lib/pkcs11', '/usr/lib64/pkcs11'];
/** p11-kit's own modules expose the OS trust store or proxy others: not signing tokens. */
const NOT_TOKENS = /p11-kit-(trust|proxy|client)/;

export interface DiscoveryInput {
  cliModules?: string[];
  env?: NodeJS.ProcessEnv;
  configModules?: string[];
  /** Extra p11-kit config dirs (tests); the user's ~/.config/pkcs11/modules is always read. */
  p11kitDirs?: string[];
  platform?: NodeJS.Platform;
}

/** Parses p11-kit `.module` files: `module: <path or file name>` lines. */
export function p11kitModules(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    let files: string[] = [];
    try { files = readdirSync(dir).filter((f) => f.endsWith('.module')); } catch { continue; }
    for (const f of files.sort()) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (/^\s*disable-in:.*kyso-bridge/m.test(text) || /^\s*enable-in:/m.test(text) && !/^\s*enable-in:.*kyso-bridge/m.test(text)) continue;
      const m = /^\s*module:\s*(.+?)\s*$/m.exec(text);
      if (!m) continue;
      const name = m[1];
      if (isAbsolute(name)) out.push(name);
      else out.push(...P11KIT_MODULE_DIRS.map((d) => join(d, name)));
    }
  }
  return out;
}

export function discoverModules(input: DiscoveryInput = {}): ModuleCandidate[] {
  // An explicit choice is kept even when the file is missing, so the user sees why it failed.
  const explicit = explicitModules(input);
  if (explicit.length > 0) return explicit;
  const found: ModuleCandidate[] = [
    ...(input.configModules ?? []).map((path) => ({ path, source: 'config' as const })),
    ...p11kitModules([...P11KIT_CONFIG_DIRS, join(homedir(), '.config/pkcs11/modules'), ...(input.p11kitDirs ?? [])])
      .map((path) => ({ path, source: 'p11-kit' as const })),
    ...moduleCandidatePaths(input.platform ?? process.platform).map((path) => ({ path, source: 'catalogue' as const })),
  ];
  return dedupe(found.filter((c) => existsSync(c.path) && !NOT_TOKENS.test(c.path)));
}
