// Which pinentry to run, and how. A graphical one when there is a display (the bridge usually
// runs in a desktop session), a terminal one only when the daemon has a terminal to draw on.
import { execFileSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readlinkSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

const GUI = ['pinentry-gnome3', 'pinentry-qt', 'pinentry-qt5', 'pinentry-gtk-2', 'pinentry-gtk2'];
const TERMINAL = ['pinentry-curses', 'pinentry-tty'];

export interface DiscoveryEnv {
  env?: NodeJS.ProcessEnv;
  /** Override for tests; default: the daemon has a controlling terminal. */
  ttyname?: string | null;
  /** Override for tests; default: executable on PATH. */
  which?: (name: string) => string | undefined;
}

/** `--pinentry PROGRAM` wins; else the best installed variant for this session. */
export function findPinentry(preferred?: string, d: DiscoveryEnv = {}): string | undefined {
  if (preferred) return preferred;
  const env = d.env ?? process.env;
  const which = d.which ?? ((n: string) => whichSync(n, env));
  const tty = d.ttyname !== undefined ? d.ttyname : controllingTty(env);
  const candidates: string[] = [];
  if (hasDisplay(env)) candidates.push(...GUI, 'pinentry');
  if (tty) candidates.push(...TERMINAL);
  for (const name of candidates) {
    const found = which(name);
    if (found) return found;
  }
  return undefined;
}

export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Is this a terminal-only variant (needs --ttyname)? */
export function isTerminalPinentry(program: string): boolean {
  return /pinentry-(curses|tty)$/.test(program);
}

/**
 * The terminal a terminal pinentry should use: GPG_TTY (the GnuPG convention), else the tty on
 * our stdin, else /dev/tty when we have a controlling terminal; null when there is none.
 */
export function controllingTty(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GPG_TTY) return env.GPG_TTY;
  if (process.stdin.isTTY) {
    try {
      return readlinkSync('/proc/self/fd/0');
    } catch {
      /* not Linux /proc: fall through */
    }
  }
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return '/dev/tty';
  } catch {
    return null;
  }
}

export function whichSync(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = name.includes('/') ? [''] : (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter);
  for (const dir of dirs) {
    const p = dir ? join(dir, name) : name;
    if (!isAbsolute(p) && dir) continue;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** What a dialog needs from the desktop session to appear on it. */
const SESSION_KEYS = ['DISPLAY', 'WAYLAND_DISPLAY', 'XAUTHORITY', 'DBUS_SESSION_BUS_ADDRESS', 'XDG_RUNTIME_DIR'];

/**
 * The environment a dialog runs in. A daemon started by the systemd user manager may start before
 * the desktop has exported DISPLAY/WAYLAND_DISPLAY into it: then read the user manager's current
 * environment (`systemctl --user show-environment`) at dialog time, so the dialog reaches the screen.
 */
let sessionFound: NodeJS.ProcessEnv | undefined;
let lastQuery = 0;
/** How often, at most, the user manager is asked while no desktop has shown up yet. */
const SESSION_QUERY_EVERY_MS = 10_000;

export function sessionEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (hasDisplay(env) || !env.INVOCATION_ID) return env;
  if (sessionFound) return sessionFound;
  const now = Date.now();
  if (now - lastQuery < SESSION_QUERY_EVERY_MS) return env;
  lastQuery = now;
  let out: string;
  try {
    out = execFileSync('systemctl', ['--user', 'show-environment'], { encoding: 'utf8', timeout: 2_000, env, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return env;
  }
  const found: NodeJS.ProcessEnv = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    if (eq > 0 && SESSION_KEYS.includes(key) && !env[key]) found[key] = line.slice(eq + 1);
  }
  const merged = { ...env, ...found };
  // Once the desktop is known it stays the answer (one query, not one per dialog).
  if (hasDisplay(merged)) sessionFound = merged;
  return merged;
}

/** Tests only: forget what was learned from the user manager. */
export function resetSessionEnv(): void {
  sessionFound = undefined;
  lastQuery = 0;
}
