// `kyso-bridge origins list|revoke`: see and withdraw which websites may ask for signatures.
// The state lives next to the config file, so --config FILE also picks the state directory.
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { defaultConfigFile, loadConfig } from '../config/config.js';
import { openStateDb } from '../state/db.js';
import { OriginStore, normalizeOrigin, parseOriginArg, type OriginEntry } from '../state/origins.js';
import { readOrigins } from '../inspect/token-view.js';
import { table } from './common.js';

interface OriginsCliOptions {
  config?: string;
  json?: boolean;
}

const DECISION = { allowed: 'cho phép / allowed', denied: 'từ chối / denied' } as const;
const SOURCE = { user: 'người dùng / user', config: 'tệp cấu hình / config', default: 'mặc định / default', daemon: 'dịch vụ đang chạy / running daemon' } as const;

/** An entry of `origins list`: stored decisions, plus what the running daemon allows from its start. */
export type ListedOrigin = Omit<OriginEntry, 'source'> & { source: OriginEntry['source'] | 'daemon' };

function withStore<T>(opts: OriginsCliOptions, fn: (store: OriginStore, configOrigins: string[]) => T): T {
  const file = resolve(opts.config ?? defaultConfigFile());
  const { config } = loadConfig(file);
  const db = openStateDb(dirname(file));
  try {
    return fn(new OriginStore(db), config.allowOrigins ?? []);
  } finally {
    db.close();
  }
}

export function formatOrigins(entries: ListedOrigin[]): string {
  if (entries.length === 0) return 'Chưa có trang web nào được phép hoặc bị từ chối. / No website decisions yet.';
  return table(
    ['Trang web / Origin', 'Quyết định / Decision', 'Nguồn / Source', 'Thời điểm / Decided at'],
    entries.map((e) => [e.origin, DECISION[e.decision], SOURCE[e.source], e.decidedAt]),
  );
}

export function registerOrigins(program: Command): void {
  const origins = program
    .command('origins')
    .description('Websites allowed to use the bridge / Các trang web được phép dùng chữ ký số');

  origins
    .command('list')
    .description('List allowed and denied websites / Liệt kê trang web được phép và bị từ chối')
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file / tệp cấu hình')
    .action(async (opts: OriginsCliOptions) => {
      const found = await readOrigins({ configFile: opts.config }, () => ({
        entries: withStore(opts, (store, configOrigins) => {
          // Show what the daemon will apply: the config file's list is part of it.
          store.syncConfig(configOrigins);
          return store.list();
        }),
        allowList: [],
      }));
      const stored = new Set(found.entries.map((e) => e.origin));
      // The running daemon also allows origins given at its start (defaults, --allow-origin, the demo portal).
      const extra: ListedOrigin[] = [...new Set(found.allowList.map((o) => { try { return normalizeOrigin(o); } catch { return o; } }))]
        .filter((o) => !stored.has(o)).map((origin) => ({ origin, decision: 'allowed', decidedAt: '', source: 'daemon' }));
      const entries: ListedOrigin[] = [...found.entries, ...extra];
      process.stdout.write((opts.json ? JSON.stringify(entries, null, 2) : formatOrigins(entries)) + '\n');
    });

  origins
    .command('revoke')
    .description('Forget the decision for a website (it will ask again) / Thu hồi quyền của một trang web')
    .argument('<origin>', 'e.g. https://dichvucong.gov.vn')
    .option('--config <file>', 'config file / tệp cấu hình')
    .action((origin: string, opts: OriginsCliOptions) => {
      const o = parseOriginArg(origin);
      const { removed, inConfig } = withStore(opts, (store, configOrigins) => ({
        removed: store.revoke(o),
        inConfig: configOrigins.some((c) => {
          try {
            return normalizeOrigin(c) === o;
          } catch {
            return false;
          }
        }),
      }));
      if (removed) process.stdout.write(`Đã thu hồi quyền của ${o}. / Revoked ${o}.\n`);
      else {
        process.stderr.write(`${o} không có trong danh sách. / ${o} is not in the list.\n`);
        process.exitCode = 1;
      }
      if (inConfig) {
        process.stderr.write(`${o} vẫn có trong allowOrigins của tệp cấu hình; hãy xoá ở đó. / ${o} is still listed in the config file's allowOrigins; remove it there.\n`);
      }
    });
}
