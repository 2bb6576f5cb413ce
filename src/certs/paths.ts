// Where the certificate layer keeps user data when the caller gives no directory.
import { join } from 'node:path';
import { defaultCacheRoot, defaultConfigDir } from '../paths.js';

/** The config dir ($KYSO_CONFIG_DIR, else $XDG_CONFIG_HOME/kyso-bridge, else ~/.config/kyso-bridge). */
export function defaultDataDir(): string {
  return defaultConfigDir();
}

export function defaultRootsDir(): string {
  return join(defaultDataDir(), 'roots');
}

export function defaultIntermediatesDir(): string {
  return join(defaultDataDir(), 'intermediates');
}

export function defaultCacheDir(): string {
  return join(defaultCacheRoot(), 'certs');
}
