// `kyso-bridge tokens`: the tokens every module sees, with their PIN state.
import type { Command } from 'commander';
import type { TokenJson } from '../types.js';
import { addModuleOptions, openTokenManager, table, type ModuleCliOptions } from './common.js';

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
      const manager = await openTokenManager(opts);
      try {
        const tokens = manager.tokenJson();
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
        manager.close();
      }
    });
}
