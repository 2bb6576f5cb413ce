// Where the certificate layer keeps user data when the caller gives no directory.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $KYSO_BRIDGE_HOME, else $XDG_CONFIG_HOME/kyso-bridge, else ~/.config/kyso-bridge. */
export function defaultDataDir(): string {
  if (process.env.KYSO_BRIDGE_HOME) return process.env.KYSO_BRIDGE_HOME;
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'kyso-bridge');
}

export function defaultRootsDir(): string {
  return join(defaultDataDir(), 'roots');
}

export function defaultIntermediatesDir(): string {
  return join(defaultDataDir(), 'intermediates');
}

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kyso-bridge', 'certs');
}
