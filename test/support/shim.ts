// The fault-injecting PKCS#11 shim for tests: builds native-drivers/shim into
// native-drivers/build/ on first use (or when a source changed) and writes its control file.
// The shim reads KYSO_SHIM_TARGET / KYSO_SHIM_CONTROL when it is first loaded in a process.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SHIM_SOURCE_DIR = resolve('native-drivers/shim');
export const SHIM_BUILD_DIR = resolve('native-drivers/build');
export const SHIM_LIB = join(SHIM_BUILD_DIR, 'libkyso-fault-shim.so');

function newestSource(): number {
  return Math.max(...readdirSync(SHIM_SOURCE_DIR).map((f) => statSync(join(SHIM_SOURCE_DIR, f)).mtimeMs));
}

/** Path of the built shim; compiles it with the system compiler when missing or stale. */
export function buildShim(): string {
  if (existsSync(SHIM_LIB) && statSync(SHIM_LIB).mtimeMs >= newestSource()) return SHIM_LIB;
  try {
    execFileSync('bash', [join(SHIM_SOURCE_DIR, 'build.sh')], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (e) {
    const err = e as { stderr?: string; status?: number };
    throw new Error(`building the PKCS#11 fault shim failed (exit ${err.status}): ${err.stderr ?? String(e)}`);
  }
  return SHIM_LIB;
}

/** What the control file says; see native-drivers/shim/kyso-fault-shim.c for the semantics. */
export interface ShimConfig {
  /** Token labels that are "unplugged". */
  hide?: string[];
  /** Retry counter size; 0 turns it off (the shim's default is 3). */
  maxTries?: number;
  latencyMs?: number;
  /** Functions the latency applies to (default: all). */
  latencyCalls?: string[] | 'all';
  /** Functions answering fail_rv (default CKR_FUNCTION_FAILED). */
  fail?: string[] | 'all';
  failRv?: number;
  /** C_WaitForSlotEvent reports hide/unhide (SoftHSM itself has no slot events). */
  slotEvents?: boolean;
  pinpad?: boolean;
  pinpadTokens?: string[];
  /** The PIN the "user types on the pad": forwarded when C_Login gets a NULL PIN. */
  pinpadPin?: string;
}

export function controlText(cfg: ShimConfig): string {
  const lines: string[] = ['# kyso fault shim control'];
  const list = (v: string[] | 'all') => (v === 'all' ? 'all' : v.join(','));
  if (cfg.hide?.length) lines.push(`hide=${cfg.hide.join(',')}`);
  if (cfg.maxTries !== undefined) lines.push(`max_tries=${cfg.maxTries}`);
  if (cfg.latencyMs !== undefined) lines.push(`latency_ms=${cfg.latencyMs}`);
  if (cfg.latencyCalls) lines.push(`latency_calls=${list(cfg.latencyCalls)}`);
  if (cfg.fail) lines.push(`fail=${list(cfg.fail)}`);
  if (cfg.failRv !== undefined) lines.push(`fail_rv=0x${cfg.failRv.toString(16)}`);
  if (cfg.slotEvents !== undefined) lines.push(`slot_events=${cfg.slotEvents ? 1 : 0}`);
  if (cfg.pinpad !== undefined) lines.push(`pinpad=${cfg.pinpad ? 1 : 0}`);
  if (cfg.pinpadTokens?.length) lines.push(`pinpad_tokens=${cfg.pinpadTokens.join(',')}`);
  if (cfg.pinpadPin !== undefined) lines.push(`pinpad_pin=${cfg.pinpadPin}`);
  return `${lines.join('\n')}\n`;
}

export interface ShimHandle {
  /** The module path to load instead of the real one. */
  modulePath: string;
  controlPath: string;
  statePath: string;
  /** Env for this process (assign to process.env before loading) or for child processes. */
  env: Record<string, string>;
  write(cfg: ShimConfig): void;
  /** The state file: login_calls, login_calls:<label>, tries_left:<label>. */
  readState(): Record<string, number>;
  loginCalls(label?: string): number;
  /** Tries left for a token, or undefined while it was never touched. */
  triesLeft(label: string): number | undefined;
  resetState(): void;
  cleanup(): void;
}

/**
 * A built shim over `target` with its own control directory (starts with an empty control
 * file). `isolate` (default true) loads a private copy of the target, so the same process can
 * also load the real module directly without the two sharing one C_Initialize.
 */
export function shimOver(target: string, cfg: ShimConfig = {}, opts: { isolate?: boolean } = {}): ShimHandle {
  const modulePath = buildShim();
  const dir = mkdtempSync(join(tmpdir(), 'kyso-shim-'));
  const controlPath = join(dir, 'control');
  const statePath = `${controlPath}.state`;
  const readState = (): Record<string, number> => {
    if (!existsSync(statePath)) return {};
    const out: Record<string, number> = {};
    for (const line of readFileSync(statePath, 'utf8').split('\n')) {
      const eq = line.lastIndexOf('=');
      if (eq > 0) out[line.slice(0, eq)] = Number(line.slice(eq + 1));
    }
    return out;
  };
  const handle: ShimHandle = {
    modulePath, controlPath, statePath,
    env: { KYSO_SHIM_TARGET: target, KYSO_SHIM_CONTROL: controlPath, KYSO_SHIM_ISOLATE: opts.isolate === false ? '0' : '1' },
    // Atomic (rename): the shim re-reads the file from worker threads at any moment.
    write: (c) => {
      writeFileSync(`${controlPath}.tmp`, controlText(c));
      renameSync(`${controlPath}.tmp`, controlPath);
    },
    readState,
    loginCalls: (label) => readState()[label ? `login_calls:${label}` : 'login_calls'] ?? 0,
    triesLeft: (label) => readState()[`tries_left:${label}`],
    resetState: () => rmSync(statePath, { force: true }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  handle.write(cfg);
  return handle;
}
