// `kyso-bridge tokens`: the tokens every module sees, with their PIN state — the running
// daemon's view when one runs (src/inspect), else read directly.
import type { Command } from 'commander';
import type { TokenJson } from '../types.js';
import { addModuleOptions, openTokens, table, type ModuleCliOptions } from './common.js';

export function pinSummary(t: TokenJson): string {
  if (t.pin.locked) return 'ĐÃ KHOÁ / LOCKED';
  if (t.pin.finalTry) return 'còn 1 lần thử / final try';
  if (t.pin.countLow) return 'đã nhập sai / wrong PINs entered';
  if (t.pin.protectedAuthenticationPath) return 'bàn phím PIN / PIN pad';
  return 'bình thường / ok';
}

export function registerTokens(program: Command): void {
  addModuleOptions(program.command('tokens').description('List signing tokens / Liệt kê thiết bị ký số'))
    .option('--json', 'JSON output')
    .action(async (opts: ModuleCliOptions & { json?: boolean }) => {
      const view = await openTokens(opts);
      try {
        const tokens = await view.tokens();
        if (opts.json) {
          process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
          return;
        }
        if (tokens.length === 0) {
          process.stdout.write('Không có thiết bị ký số nào. / No signing token found.\n');
          return;
        }
        process.stdout.write(table(
          ['Nhãn / Label', 'Nhà sản xuất / Manufacturer', 'Mẫu / Model', 'Số sê-ri / Serial', 'PIN', 'Mã / Id'],
          tokens.map((t) => [t.label, t.manufacturer, t.model, t.serial, pinSummary(t), t.id]),
        ) + '\n');
      } finally {
        view.close();
      }
    });
}
