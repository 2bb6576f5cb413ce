// Where the config file is, and reading it for the daemon without loading its schema library
// when there is no file (most installs): starting stays light. A file present is checked in full
// by loadConfig, exactly as the CLI commands check it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultConfigDir } from '../paths.js';
import type { LoadedConfig } from './config.js';

export function defaultConfigFile(): string {
  return join(defaultConfigDir(), 'config.json');
}

/** loadConfig(file), with the schema loaded only when the file exists. */
export async function readConfig(file?: string): Promise<LoadedConfig> {
  const path = resolve(file ?? defaultConfigFile());
  if (!existsSync(path)) return { file: path, dir: dirname(path), config: {} };
  return (await import('./config.js')).loadConfig(path);
}
