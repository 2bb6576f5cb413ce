// `kyso-bridge verify-cert FILE`: validate a certificate file (PEM or DER) the way the daemon
// does before signing. Exit 0 only when the result is ok. Also exports the shared
// --trust-anchor/--revocation/… options for every command that validates.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Lang } from '../i18n/messages.js';
import { parseIdentity, type Identity } from '../certs/identity.js';
import { readCertificateFile } from '../certs/pem.js';
import type { CertificateStatus, FetchLike, RevocationPolicy, ValidateOptions } from '../certs/index.js';
import { validateCertificate } from '../certs/validate.js';
import { defaultCacheDir } from '../certs/paths.js';

export interface ValidationCliOptions {
  intermediate?: string[];
  trustAnchor?: string[];
  purpose?: 'sign' | 'auth';
  at?: string;
  revocation?: RevocationPolicy;
  offline?: boolean;
  rootsDir?: string;
  intermediatesDir?: string;
  cacheDir?: string;
  lang?: Lang;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Adds the validation flags (repeatable --trust-anchor, --intermediate, policy) to a command. */
export function addValidationOptions(cmd: Command): Command {
  return cmd
    .option('--trust-anchor <file>', 'extra trust anchor (PEM/DER), repeatable / CA gốc bổ sung', collect, [])
    .addOption(new Option('--revocation <policy>', 'revocation policy / kiểm tra thu hồi').choices(['require', 'prefer', 'off']).default('prefer'))
    .option('--offline', 'no AIA/OCSP/CRL fetch / không truy cập mạng')
    .option('--roots-dir <dir>', 'imported roots directory (roots import)')
    .option('--intermediates-dir <dir>', 'local intermediates store (directory of CA certificates)')
    .option('--cache-dir <dir>', 'AIA/CRL cache directory')
    .addOption(new Option('--lang <lang>', 'message language').choices(['vi', 'en']).default('vi'));
}

/** Maps the CLI flags to validator options (files are read here; errors name the file). */
export function validationOptionsFrom(opts: ValidationCliOptions, extra: { fetch?: FetchLike } = {}): ValidateOptions {
  const at = opts.at ? new Date(opts.at) : undefined;
  if (at && Number.isNaN(at.getTime())) throw new Error(`--at: không phải thời điểm ISO hợp lệ / not an ISO time: ${opts.at}`);
  return {
    purpose: opts.purpose,
    at,
    intermediates: (opts.intermediate ?? []).flatMap((f) => readCertificateFile(f)),
    trustAnchors: (opts.trustAnchor ?? []).flatMap((f) => readCertificateFile(f)),
    revocation: opts.revocation ?? 'prefer',
    network: !opts.offline,
    rootsDir: opts.rootsDir,
    intermediatesDir: opts.intermediatesDir,
    cacheDir: opts.cacheDir ?? defaultCacheDir(),
    lang: opts.lang ?? 'vi',
    fetch: extra.fetch,
  };
}

function describe(file: string, status: CertificateStatus, id: Identity): string {
  const lines = [`${status.ok ? '✔' : '✘'} ${status.message}`, `  File: ${file}`, `  Mã / Code: ${status.code}`];
  const name = id.organization && id.commonName !== id.organization ? `${id.commonName} (${id.organization})` : id.commonName ?? id.organization;
  if (name) lines.push(`  Chủ thể / Subject: ${name}`);
  const ids = [id.taxCode && `MST ${id.taxCode}`, id.citizenId && `CCCD ${id.citizenId}`, id.legacyId && `CMND ${id.legacyId}`,
    id.passport && `HC ${id.passport}`, id.socialInsurance && `BHXH ${id.socialInsurance}`].filter(Boolean);
  if (ids.length) lines.push(`  Định danh / Ids: ${ids.join(', ')}`);
  if (id.caName) lines.push(`  CA: ${id.caName}`);
  lines.push(`  Chuỗi / Chain: ${status.chain.join('\n                 → ')}`);
  const r = status.revocation;
  lines.push(`  Thu hồi / Revocation: ${r.status}${r.source !== 'none' ? ` (${r.source}${r.checkedAt ? `, ${r.checkedAt}` : ''})` : ''}${r.error ? ` — ${r.error}` : ''}`);
  for (const w of status.warnings) lines.push(`  ⚠ ${w.message}`);
  return lines.join('\n') + '\n';
}

export interface VerifyIo {
  out: (s: string) => void;
  err: (s: string) => void;
  fetch?: FetchLike;
}

const stdio: VerifyIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** The command body; returns the exit code (0 ok, 1 not ok, 2 unusable input). */
export async function runVerifyCert(file: string, opts: ValidationCliOptions & { json?: boolean }, io: VerifyIo = stdio): Promise<number> {
  let options: ValidateOptions;
  let cert;
  try {
    cert = readCertificateFile(file)[0];
    options = validationOptionsFrom(opts, { fetch: io.fetch });
  } catch (e) {
    io.err(`Lỗi / Error: ${(e as Error).message}\n`);
    return 2;
  }
  const status = await validateCertificate(cert, options);
  const identity = parseIdentity(cert);
  if (opts.json) io.out(JSON.stringify({ status, identity }, null, 2) + '\n');
  else io.out(describe(file, status, identity));
  return status.ok ? 0 : 1;
}

export function registerVerifyCert(program: Command): void {
  const cmd = program.command('verify-cert')
    .description('Validate a certificate file: dates, usage, chain to a Vietnamese root, revocation / Kiểm tra chứng thư số')
    .argument('<file>', 'certificate, PEM or DER')
    .option('--intermediate <file>', 'intermediate CA certificate(s), repeatable', collect, [])
    .addOption(new Option('--purpose <purpose>', 'sign or auth (login)').choices(['sign', 'auth']))
    .option('--at <iso-time>', 'validate at this time instead of now')
    .option('--json', 'JSON output: {status, identity}');
  addValidationOptions(cmd).action(async (file: string, opts: ValidationCliOptions & { json?: boolean }) => {
    process.exitCode = await runVerifyCert(file, opts);
  });
}
