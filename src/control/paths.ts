// Where the control socket lives: $XDG_RUNTIME_DIR/kyso-bridge/control.sock (a per-login tmpfs
// only this user can enter), else the user's cache dir. KYSO_CONTROL_SOCKET overrides both.
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export function controlSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KYSO_CONTROL_SOCKET) return resolve(env.KYSO_CONTROL_SOCKET);
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'kyso-bridge', 'control.sock');
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'kyso-bridge', 'control.sock');
}

/**
 * Creates the socket's directory 0700 and refuses one that is a symlink or belongs to someone
 * else: the directory mode is what keeps other users from reaching the socket.
 */
export function preparePrivateDir(socketPath: string): void {
  const dir = dirname(socketPath);
  const created = mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined;
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    throw new Error(`control socket directory ${dir} is not a directory owned by this user`);
  }
  if ((st.mode & 0o077) === 0) return;
  // Only our own directory is tightened; a shared one (KYSO_CONTROL_SOCKET=/tmp/x.sock) is
  // refused rather than chmod-ed under everyone else's feet.
  if (!created && basename(dir) !== 'kyso-bridge') {
    throw new Error(`control socket directory ${dir} is open to other users; use a private directory`);
  }
  chmodSync(dir, 0o700);
}
