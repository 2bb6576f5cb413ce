// Pieces every CLI command shares: module options, opening the token view, printing tables.
import type { Command } from 'commander';
import { openTokenView, type TokenView, type ViewOptions } from '../inspect/token-view.js';
import { collect } from './collect.js';

export { collect };

export function addModuleOptions(cmd: Command): Command {
  return cmd
    .option('--module <path>', 'PKCS#11 module to load (repeatable; reads tokens directly) / thư viện PKCS#11 (lặp lại được)', collect, [])
    .option('--config <file>', 'config file / tệp cấu hình');
}

export interface ModuleCliOptions {
  module?: string[];
  config?: string;
}

/**
 * The running daemon's tokens when one runs, else the tokens read directly with the discovered
 * modules; load failures of a direct read go to stderr, not fatal.
 */
export async function openTokens(opts: ModuleCliOptions & Omit<ViewOptions, 'modules' | 'configFile'>): Promise<TokenView> {
  const view = await openTokenView({ ...opts, modules: opts.module, configFile: opts.config });
  if (view.source === 'daemon') return view;
  for (const s of view.modules) {
    if (!s.loaded) process.stderr.write(`Không nạp được thư viện / could not load module ${s.path}: ${s.error ?? 'unknown error'}\n`);
  }
  if (view.modules.length === 0) {
    process.stderr.write('Không tìm thấy thư viện PKCS#11 nào. Cài driver của USB token hoặc dùng --module PATH.\nNo PKCS#11 module found: install your token driver or pass --module PATH.\n');
  }
  return view;
}

/** A plain text table: header row, then rows; columns padded to the widest cell. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
