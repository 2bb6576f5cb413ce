// Where the certificate layer keeps user data when the caller gives no directory.
import { join } from 'node:path';
import { defaultCacheRoot, defaultConfigDir } from '../paths.js';

export function defaultRootsDir(): string {
  return join(defaultConfigDir(), 'roots');
}

export function defaultIntermediatesDir(): string {
  return join(defaultConfigDir(), 'intermediates');
}

export function defaultCacheDir(): string {
  return join(defaultCacheRoot(), 'certs');
}
