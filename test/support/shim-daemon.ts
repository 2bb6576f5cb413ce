// A real daemon (built CLI) whose only module is the fault shim over a private SoftHSM store:
// the reliability and doctor suites pull tokens, slow them down and lock them through it.
import { readFileSync } from 'node:fs';
import { freshSoftHsm } from './softhsm.js';
import { shimOver, type ShimConfig, type ShimHandle } from './shim.js';
import { startTestDaemon, type TestDaemon } from './daemon.js';
import { RpcClient } from './rpc-client.js';
import type { TokenSpec } from '../../certs-fixtures/pki-spec.js';
import type { SoftHsmEnv } from '../../certs-fixtures/softhsm.js';

export const PORTAL = 'https://portal.example';
export const TRUST_ARGS = ['--trust-anchor', 'certs-fixtures/out/root-national.pem', '--trust-anchor', 'certs-fixtures/out/root-gov.pem', '--revocation', 'off'];

export interface ShimDaemon {
  d: TestDaemon;
  shim: ShimHandle;
  store: SoftHsmEnv & { cleanup(): void };
  /** The shim's module path plus SoftHSM env: what a CLI command needs to see the same tokens. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startShimDaemon(opts: { tokens?: TokenSpec[]; shim?: ShimConfig; args?: string[]; extraEnv?: Record<string, string> } = {}): Promise<ShimDaemon> {
  const store = freshSoftHsm(opts.tokens);
  const shim = shimOver(store.modulePath, opts.shim ?? {});
  const d = await startTestDaemon({ ...store, modulePath: shim.modulePath },
    ['--no-tls', '--allow-origin', PORTAL, '--allow-raw-signing', PORTAL, ...TRUST_ARGS, ...(opts.args ?? [])], { ...shim.env, ...(opts.extraEnv ?? {}) });
  return {
    d, shim, store, env: { ...store.env, ...shim.env },
    stop: async () => { await d.stop(); shim.cleanup(); store.cleanup(); },
  };
}

export interface CertView { id: string; label: string; tokenId: string; certificate: string; status: { ok: boolean; code: string } }
export interface TokenView { id: string; label: string; pin: { locked: boolean; finalTry: boolean; countLow: boolean; protectedAuthenticationPath: boolean } }

export async function listCerts(c: RpcClient): Promise<CertView[]> {
  const r = await c.call('certificates.list');
  if (r.error) throw new Error(JSON.stringify(r.error));
  return (r.result as { certificates: CertView[] }).certificates;
}

export async function listTokens(c: RpcClient): Promise<TokenView[]> {
  const r = await c.call('tokens.list');
  if (r.error) throw new Error(JSON.stringify(r.error));
  return (r.result as { tokens: TokenView[] }).tokens;
}

/** Resolves with the first tokens.changed (after `since` notifications) that satisfies `pred`. */
export function waitForTokens(c: RpcClient, pred: (labels: string[]) => boolean, since: number, timeoutMs = 5_000): Promise<{ labels: string[]; at: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      for (const n of c.notifications.slice(since)) {
        if (n.method !== 'tokens.changed') continue;
        const labels = (n.params as { tokens: { label: string }[] }).tokens.map((t) => t.label);
        if (pred(labels)) { resolve({ labels, at: Date.now() }); return true; }
      }
      return false;
    };
    if (check()) return;
    const onMessage = () => { if (check()) { clearTimeout(t); c.ws.off('message', onMessage); } };
    const t = setTimeout(() => { c.ws.off('message', onMessage); reject(new Error(`no matching tokens.changed within ${timeoutMs} ms (waited since ${started})`)); }, timeoutMs);
    // Registered after RpcClient's own handler: the notification is already recorded when this runs.
    c.ws.on('message', onMessage);
  });
}

/** VmRSS of a process in KiB, from /proc. */
export function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}

/** CPU time (user + system) of a process in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number, ticksPerSecond = 100): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
