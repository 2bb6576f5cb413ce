// The PKCS#11 modules the user named (--module, KYSO_PKCS11_MODULES): taken as they are, so the
// daemon starts without reading the driver catalogue. discovery.ts adds the other sources.
import { realpathSync } from 'node:fs';
import { delimiter } from 'node:path';

export type ModuleSource = 'cli' | 'env' | 'config' | 'p11-kit' | 'catalogue';
export interface ModuleCandidate { path: string; source: ModuleSource }

function splitList(v: string | undefined): string[] {
  return (v ?? '').split(delimiter).map((s) => s.trim()).filter(Boolean);
}

/** --module paths, then $KYSO_PKCS11_MODULES; kept even when missing, so the user sees why it failed. */
export function explicitModules(input: { cliModules?: string[]; env?: NodeJS.ProcessEnv }): ModuleCandidate[] {
  const env = input.env ?? process.env;
  return dedupe([
    ...(input.cliModules ?? []).map((path) => ({ path, source: 'cli' as const })),
    ...splitList(env.KYSO_PKCS11_MODULES).map((path) => ({ path, source: 'env' as const })),
  ]);
}

function canonical(p: string): string {
  try { return realpathSync(p); } catch { return p; }
}

export function dedupe(list: ModuleCandidate[]): ModuleCandidate[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = canonical(c.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
