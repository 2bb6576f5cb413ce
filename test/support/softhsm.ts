// SoftHSM stores for tests. The shared store (all fixture tokens) is provisioned once by the
// global setup and must not be changed; a test that deletes or alters tokens takes a fresh copy.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { provisionSoftHsm, type SoftHsmEnv } from '../../certs-fixtures/softhsm.js';
import { TOKENS, type TokenSpec } from '../../certs-fixtures/pki-spec.js';

export const SHARED_SOFTHSM_DIR = resolve('.kyso-test/softhsm');

/** The read-only shared store with every fixture token. */
export function sharedSoftHsm(): SoftHsmEnv {
  return provisionSoftHsm(SHARED_SOFTHSM_DIR);
}

/** A private store a test may change freely (a copy of the shared one, or only some tokens). */
export function freshSoftHsm(tokens?: TokenSpec[]): SoftHsmEnv & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-softhsm-'));
  if (!tokens) cpSync(join(SHARED_SOFTHSM_DIR, 'tokens'), join(dir, 'tokens'), { recursive: true });
  const env = provisionSoftHsm(dir, tokens ?? TOKENS);
  return { ...env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Provisions from another process: this one may hold SoftHSM initialised already. */
export function provisionInChild(dir: string, tokens: TokenSpec[]): void {
  execFileSync(resolve('node_modules/.bin/tsx'), [resolve('certs-fixtures/softhsm.ts'), dir, ...tokens.map((t) => t.label)], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function tokenSpec(label: string): TokenSpec {
  const t = TOKENS.find((x) => x.label === label);
  if (!t) throw new Error(`no fixture token ${label}`);
  return t;
}
