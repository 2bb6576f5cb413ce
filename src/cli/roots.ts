// `kyso-bridge roots`: the official Vietnamese roots are pinned by fingerprint in code; this
// imports the user's copy of one (refused unless it matches a pin, or --force with a warning)
// and lists what is pinned and imported. The OS trust store is never used.
import type { Command } from 'commander';
import { colonHex } from '../certs/pem.js';
import { OFFICIAL_ROOTS } from '../certs/pins.js';
import { importRootFile, listRoots, RootImportError } from '../certs/roots-store.js';
import { defaultRootsDir } from '../certs/paths.js';

interface RootsIo { out: (s: string) => void; err: (s: string) => void }
const stdio: RootsIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export function runRootsImport(file: string, opts: { force?: boolean; rootsDir?: string; json?: boolean }, io: RootsIo = stdio): number {
  try {
    const stored = importRootFile(file, { dir: opts.rootsDir ?? defaultRootsDir(), force: opts.force });
    if (opts.json) io.out(JSON.stringify(stored, null, 2) + '\n');
    for (const r of stored) {
      if (r.forced) {
        io.err(`⚠ CẢNH BÁO: "${r.subject}" KHÔNG khớp CA gốc chính thức nào nhưng đã được nhập do --force. Mọi chứng thư do CA này cấp sẽ được tin cậy.\n`
          + `⚠ WARNING: "${r.subject}" matches NO official root pin but was imported because of --force. Everything it issues will be trusted.\n`
          + `  SHA-256 ${colonHex(r.fingerprint)}\n`);
      } else if (!opts.json) {
        io.out(`✔ Đã nhập / Imported: ${r.pin?.name} (SHA-256 ${colonHex(r.fingerprint)})\n`);
      }
    }
    return 0;
  } catch (e) {
    if (e instanceof RootImportError) io.err(`✘ ${e.messageVi}\n✘ ${e.message}\n`);
    else io.err(`✘ Lỗi / Error: ${(e as Error).message}\n`);
    return 1;
  }
}

export function runRootsList(opts: { rootsDir?: string; json?: boolean }, io: RootsIo = stdio): number {
  const stored = listRoots(opts.rootsDir ?? defaultRootsDir());
  const rows = OFFICIAL_ROOTS.map((p) => ({ ...p, imported: stored.some((s) => s.fingerprint === p.sha256) }));
  const forced = stored.filter((s) => s.forced);
  if (opts.json) {
    io.out(JSON.stringify({ pinned: rows, forced }, null, 2) + '\n');
    return 0;
  }
  for (const r of rows) io.out(`${r.imported ? '✔' : '·'} ${r.name}\n    SHA-256 ${colonHex(r.sha256)}\n    ${r.note}\n`);
  for (const f of forced) io.out(`⚠ ${f.subject} (--force)\n    SHA-256 ${colonHex(f.fingerprint)}\n`);
  return 0;
}

export function registerRoots(program: Command): void {
  const roots = program.command('roots').description('Vietnamese root CAs (pinned by SHA-256) / CA gốc');
  roots.command('import')
    .description('Import a root certificate file; only accepted when it matches a pinned fingerprint')
    .argument('<file>', 'root certificate, PEM or DER')
    .option('--force', 'import even if it matches no pin (you will be warned)')
    .option('--roots-dir <dir>', 'where imported roots are kept')
    .option('--json', 'JSON output')
    .action((file: string, opts: { force?: boolean; rootsDir?: string; json?: boolean }) => {
      process.exitCode = runRootsImport(file, opts);
    });
  roots.command('list')
    .description('Pinned official roots and which are imported')
    .option('--roots-dir <dir>', 'where imported roots are kept')
    .option('--json', 'JSON output')
    .action((opts: { rootsDir?: string; json?: boolean }) => {
      process.exitCode = runRootsList(opts);
    });
}
