// `kyso-bridge origins list|revoke`: see and withdraw what each website may ask for (grants).
// The state lives next to the config file, so --config FILE also picks the state directory.
import type { Command } from 'commander';
import { dirname, resolve } from 'node:path';
import { defaultConfigFile, loadConfig } from '../config/config.js';
import { GRANTS, type Grant } from '../core/grants.js';
import { BUILTIN_ORIGINS } from '../daemon/builtin-origins.js';
import { normalizeOrigin, parseOriginArg } from '../origin.js';
import { readOrigins } from '../inspect/token-view.js';
import { openStateDb } from '../state/db.js';
import { SqliteGrantStore, type OriginGrants } from '../state/grants.js';
import { table } from './common.js';

interface OriginsCliOptions {
  config?: string;
  json?: boolean;
  grant?: string;
}

const GRANT_TEXT: Record<Grant, string> = {
  login: 'đăng nhập / login', 'sign-documents': 'ký văn bản / sign documents', 'sign-raw': 'ký dữ liệu không xem được / sign raw data',
};
const SOURCE = { dialog: 'người dùng / user', config: 'tệp cấu hình / config', builtin: 'mặc định / built-in' } as const;

function withStore<T>(opts: OriginsCliOptions, fn: (store: SqliteGrantStore, listed: { allow: string[]; raw: string[] }) => T): T {
  const file = resolve(opts.config ?? defaultConfigFile());
  const { config } = loadConfig(file);
  const db = openStateDb(dirname(file));
  try {
    return fn(new SqliteGrantStore(db), { allow: config.allowOrigins ?? [], raw: config.rawSigningOrigins ?? [] });
  } finally {
    db.close();
  }
}

export function formatOrigins(entries: OriginGrants[]): string {
  if (entries.length === 0) return 'Chưa có trang web nào được phép hoặc bị từ chối. / No website decisions yet.';
  return table(
    ['Trang web / Origin', 'Được phép / Allowed', 'Bị từ chối / Denied', 'Nguồn / Source', 'Thời điểm / Updated'],
    entries.map((e) => [e.origin, e.grants.map((g) => GRANT_TEXT[g]).join(', ') || '—', e.denied.map((g) => GRANT_TEXT[g]).join(', ') || '—',
      SOURCE[e.source], e.updatedAt ?? '—']),
  );
}

function parseGrant(g: string | undefined): Grant | undefined {
  if (g === undefined) return undefined;
  if ((GRANTS as readonly string[]).includes(g)) return g as Grant;
  throw new Error(`--grant must be one of ${GRANTS.join(', ')}`);
}

export function registerOrigins(program: Command): void {
  const origins = program
    .command('origins')
    .description('What each website may ask for / Quyền của các trang web');

  origins
    .command('list')
    .description('List grants and refusals per website / Liệt kê quyền và từ chối của từng trang web')
    .option('--json', 'JSON output')
    .option('--config <file>', 'config file / tệp cấu hình')
    .action(async (opts: OriginsCliOptions) => {
      // The running daemon's view (with what its command line allows), else the state file's,
      // with the config file's lists applied as the daemon will apply them.
      const { entries } = await readOrigins({ configFile: opts.config }, () => ({
        entries: withStore(opts, (store, listed) => {
          store.syncConfig(listed.allow, listed.raw);
          return store.list(BUILTIN_ORIGINS);
        }),
        allowList: [],
      }));
      process.stdout.write((opts.json ? JSON.stringify(entries, null, 2) : formatOrigins(entries)) + '\n');
    });

  origins
    .command('revoke')
    .description('Withdraw what a website was allowed or refused (it will ask again) / Thu hồi quyền của một trang web')
    .argument('<origin>', 'e.g. https://portal.example.vn')
    .option('--grant <grant>', `only this grant: ${GRANTS.join(' | ')}`)
    .option('--config <file>', 'config file / tệp cấu hình')
    .action((origin: string, opts: OriginsCliOptions) => {
      const o = parseOriginArg(origin);
      const grant = parseGrant(opts.grant);
      const { removed, listed } = withStore(opts, (store, l) => ({
        removed: store.revoke(o, grant),
        listed: [...l.allow, ...l.raw, ...BUILTIN_ORIGINS].some((c) => safeEquals(c, o)),
      }));
      if (removed > 0) process.stdout.write(`Đã thu hồi quyền của ${o}. / Revoked ${o}.\n`);
      else {
        if (!listed) process.stderr.write(`${o} không có trong danh sách. / ${o} is not in the list.\n`);
        process.exitCode = 1;
      }
      if (listed) {
        process.stderr.write(`${o} được cho phép trong tệp cấu hình hoặc là cổng mặc định; hãy xoá ở tệp cấu hình. / ${o} is allowed by the config file or built in; remove it there.\n`);
      }
    });
}

function safeEquals(a: string, origin: string): boolean {
  try {
    return normalizeOrigin(a) === origin;
  } catch {
    return false;
  }
}
