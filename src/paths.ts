// Where kyso-bridge keeps the user's files: config, state and TLS material in the config dir,
// caches in the cache dir. Every layer asks here, so none imports another layer for a path.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** $KYSO_CONFIG_DIR, else $XDG_CONFIG_HOME/kyso-bridge, else ~/.config/kyso-bridge. */
export function defaultConfigDir(): string {
  if (process.env.KYSO_CONFIG_DIR) return resolve(process.env.KYSO_CONFIG_DIR);
  const xdg = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(xdg, 'kyso-bridge');
}

/** $XDG_CACHE_HOME/kyso-bridge, else ~/.cache/kyso-bridge. */
export function defaultCacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kyso-bridge');
}
