// The user's config file (JSON), default ~/.config/kyso-bridge/config.json. State (the grants per
// origin) lives beside it (state.sqlite). Unknown keys are kept for forward compatibility.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { KysoError } from '../errors.js';
import { defaultConfigFile } from './config-file.js';

export { defaultConfigFile };

export const ConfigSchema = z.object({
  modules: z.array(z.string()).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  /** Origins given login + sign-documents without a dialog. */
  allowOrigins: z.array(z.string()).optional(),
  /** Origins also given sign-raw (hashes the user cannot see) without the grant dialog. */
  rawSigningOrigins: z.array(z.string()).optional(),
  /** Certificate files (.p12/.pfx) served like tokens; their password is asked in the dialog. */
  p12Files: z.array(z.string()).optional(),
  /** RFC 3161 time-stamping services for document signing (levels T/LT); the first is the default. */
  tsaUrls: z.array(z.string().url()).optional(),
  /** Largest document accepted for signing, bytes (default 50 MiB). */
  maxDocumentBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).optional(),
  trustAnchors: z.array(z.string()).optional(),
  revocation: z.enum(['require', 'prefer', 'off']).optional(),
  pinentry: z.string().optional(),
  lang: z.enum(['vi', 'en']).optional(),
  /** Seconds a token stays logged in for the same origin after a PIN entry; 0 = log out each time. */
  pinCacheSeconds: z.number().int().min(0).max(3600).optional(),
  drivers: z.array(z.unknown()).optional(),
  /** Vendor-compatible endpoints to open: names (vgca, vnpt, bkav), true (all, the default) or false (none). */
  compat: z.union([z.boolean(), z.array(z.enum(['vgca', 'vnpt', 'bkav']))]).optional(),
}).passthrough();
export type Config = z.infer<typeof ConfigSchema>;

export interface LoadedConfig {
  file: string;
  dir: string;
  config: Config;
}

/** Reads the config file; a missing file is an empty config, a broken one a clear error. */
export function loadConfig(file?: string): LoadedConfig {
  const path = resolve(file ?? defaultConfigFile());
  const dir = dirname(path);
  if (!existsSync(path)) return { file: path, dir, config: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new KysoError('INVALID_PARAMS', {}, `config ${path}: ${(e as Error).message}`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new KysoError('INVALID_PARAMS', {}, `config ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { file: path, dir, config: parsed.data };
}
