// Pieces every CLI command shares: module options, opening the token layer, printing tables.
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { discoverModules } from '../pkcs11/discovery.js';
import { TokenManager } from '../pkcs11/token-manager.js';
import { collect } from './collect.js';

export { collect };

export function addModuleOptions(cmd: Command): Command {
  return cmd
    .option('--module <path>', 'PKCS#11 module to load (repeatable) / thư viện PKCS#11 (lặp lại được)', collect, [])
    .option('--config <file>', 'config file / tệp cấu hình');
}

export interface ModuleCliOptions {
  module?: string[];
  config?: string;
}

/** Opens the token layer with the discovered modules; load failures go to stderr, not fatal. */
export async function openTokenManager(opts: ModuleCliOptions): Promise<TokenManager> {
  const { config } = loadConfig(opts.config);
  const candidates = discoverModules({ cliModules: opts.module, configModules: config.modules });
  const manager = new TokenManager({ modulePaths: candidates.map((c) => c.path) });
  const statuses = await manager.open();
  for (const s of statuses) {
    if (!s.loaded) process.stderr.write(`Không nạp được thư viện / could not load module ${s.path}: ${s.error ?? 'unknown error'}\n`);
  }
  if (candidates.length === 0) {
    process.stderr.write('Không tìm thấy thư viện PKCS#11 nào. Cài driver của USB token hoặc dùng --module PATH.\nNo PKCS#11 module found: install your token driver or pass --module PATH.\n');
  }
  return manager;
}

/** A plain text table: header row, then rows; columns padded to the widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
