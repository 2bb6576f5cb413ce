// `kyso-bridge verify FILE`: checks every signature in a PDF, XML or CMS file (`--content` for a
// detached CMS) — integrity, signer, chain to the Vietnamese roots, revocation, time-stamp, and
// whether the document changed after signing. Exit 0 only when every signature is valid.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ValidateOptions } from '../certs/types.js';
import { isDocumentError } from '../documents/errors.js';
import { verifyDocument, type SignatureReport } from '../documents/verify.js';
import { addValidationOptions, validationOptionsFrom, type ValidationCliOptions, type VerifyIo } from './verify-cert.js';
import { collect } from './common.js';

export interface VerifyCliOptions extends ValidationCliOptions {
  content?: string;
  json?: boolean;
}

const FORMAT_NAMES = { pades: 'PDF (PAdES)', xmldsig: 'XML-DSig', cms: 'CMS (CAdES)' } as const;

function describe(i: number, s: SignatureReport): string {
  const lines = [`${s.valid ? '✔' : '✘'} Chữ ký / Signature #${i + 1}${s.fieldName ? ` (${s.fieldName})` : ''}: ${s.valid ? 'hợp lệ / valid' : 'KHÔNG hợp lệ / NOT valid'}`];
  lines.push(`  Định dạng / Format: ${FORMAT_NAMES[s.format]} ${s.format === 'xmldsig' ? '' : `B-${s.level}`}`.trimEnd());
  lines.push(`  Người ký / Signer: ${s.signer?.subject ?? '—'}${s.signer ? ` (serial ${s.signer.serialNumber})` : ''}`);
  lines.push(`  Toàn vẹn / Integrity: ${s.integrity ? 'OK' : 'HỎNG / BROKEN'}`);
  lines.push(`  Chứng thư / Certificate: ${s.validation.code} — ${s.validation.message}`);
  if (s.signedAt) lines.push(`  Thời điểm ký (khai báo) / Claimed signing time: ${s.signedAt}`);
  if (s.timestamp) lines.push(`  Dấu thời gian / Time-stamp: ${s.timestamp.valid ? s.timestamp.time : `HỎNG / BROKEN (${s.timestamp.error})`}${s.timestamp.tsa ? ` — ${s.timestamp.tsa}` : ''}`);
  if (s.format === 'pades') {
    lines.push(s.coversWholeDocument
      ? '  Phủ toàn bộ tệp / Covers the whole file: có / yes'
      : '  Tệp có thay đổi sau khi ký (chữ ký sau, DSS hoặc sửa đổi) / The file changed after this signature (a later signature, DSS or an edit)');
  } else if (!s.coversWholeDocument) {
    lines.push('  Chỉ ký một phần tài liệu / Signs part of the document');
  }
  for (const e of s.errors) lines.push(`  ✘ ${e}`);
  for (const w of s.warnings) lines.push(`  ⚠ ${w}`);
  return lines.join('\n') + '\n';
}

const stdio: VerifyIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** The command body; returns the exit code (0 every signature valid, 1 not, 2 unusable input). */
export async function runVerify(file: string, opts: VerifyCliOptions, io: VerifyIo = stdio): Promise<number> {
  let content: Buffer;
  let detached: Buffer | undefined;
  let validation: ValidateOptions;
  try {
    content = readFileSync(file);
    detached = opts.content ? readFileSync(opts.content) : undefined;
    validation = validationOptionsFrom(opts, { fetch: io.fetch });
  } catch (e) {
    io.err(`Lỗi / Error: ${(e as Error).message}\n`);
    return 2;
  }
  let result;
  try {
    result = await verifyDocument(content, { content: detached, validation });
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    io.err(`Lỗi / Error: ${e.code}: ${e.detail}\n`);
    return 2;
  }
  if (opts.json) io.out(JSON.stringify({ signatures: result.signatures }, null, 2) + '\n');
  else if (result.signatures.length === 0) io.out('Tệp không có chữ ký số / The file has no signature\n');
  else io.out(result.signatures.map((s, i) => describe(i, s)).join('\n'));
  return result.signatures.length > 0 && result.signatures.every((s) => s.valid) ? 0 : 1;
}

export function registerVerify(program: Command): void {
  const cmd = program.command('verify')
    .description('Verify every signature in a PDF, XML or CMS file / Kiểm tra chữ ký số trong tệp PDF, XML, CMS')
    .argument('<file>', 'signed PDF, XML, or CMS (DER/PEM)')
    .option('--content <file>', 'the signed content of a detached CMS / nội dung đã ký (CMS tách rời)')
    .option('--intermediate <file>', 'intermediate CA certificate(s), repeatable', collect, [])
    .option('--json', 'JSON output: {signatures: [...]}');
  addValidationOptions(cmd).action(async (file: string, opts: VerifyCliOptions) => {
    process.exitCode = await runVerify(file, opts);
  });
}
