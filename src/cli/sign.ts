// `kyso-bridge sign FILE`: an office signs a PDF, XML or any file without a portal. The same core
// as the daemon, assembled without listeners (daemon/build-core.ts): the same tokens and .p12
// files, the same consent dialog showing the document, the PIN in the same dialog. The request is
// recorded as the machine's own user (LOCAL_USER_ORIGIN), which this command grants explicitly.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { SignDocumentParams } from '../core/bridge-service.js';
import { buildCore } from '../daemon/build-core.js';
import type { DocumentFormat, SignatureLevel, XmlProfile } from '../documents/index.js';
import { KysoError } from '../errors.js';
import { createLogger } from '../log.js';
import { LOCAL_USER_ORIGIN } from '../origin.js';
import { collect } from './common.js';

/** Who asks, as the core records it: the local user at the command line, not a web origin. */

export interface SignCliOptions {
  format?: DocumentFormat; profile?: XmlProfile; level?: SignatureLevel; visible?: string; image?: string; reason?: string; location?: string;
  tsa: string[]; certificate?: string; out?: string; module: string[]; p12: string[]; pinentry?: string; trustAnchor: string[];
  config?: string; revocation?: 'require' | 'prefer' | 'off'; lang?: 'vi' | 'en'; logLevel?: string;
}

export function formatFromName(file: string): DocumentFormat {
  const ext = extname(file).toLowerCase();
  return ext === '.pdf' ? 'pades' : ext === '.xml' ? 'xmldsig' : 'cms';
}

/** ho-so.pdf → ho-so.signed.pdf; a CMS goes beside the file as FILE.p7s. */
export function defaultOutput(file: string, format: DocumentFormat): string {
  if (format === 'cms') return `${file}.p7s`;
  const ext = extname(file);
  return `${file.slice(0, file.length - ext.length)}.signed${ext}`;
}

/** "1:40,40,260,110" → page 1, rect [40, 40, 260, 110]. */
export function parseVisible(spec: string): { page: number; rect: [number, number, number, number] } {
  const m = /^(\d+):(\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(spec.trim());
  if (!m) throw new KysoError('INVALID_PARAMS', { field: 'visible' }, `--visible expects PAGE:llx,lly,urx,ury (e.g. 1:40,40,260,110), not ${JSON.stringify(spec)}`);
  const [page, ...rect] = m.slice(1).map(Number);
  if (page < 1 || rect[2] <= rect[0] || rect[3] <= rect[1]) throw new KysoError('INVALID_PARAMS', { field: 'visible' }, '--visible: page from 1, and urx > llx, ury > lly');
  return { page, rect: rect as [number, number, number, number] };
}

/** The core's request for FILE and the options; nothing is read here but the files named. */
export function signRequest(file: string, o: SignCliOptions): SignDocumentParams {
  const format = o.format ?? formatFromName(file);
  if (format !== 'pades' && (o.visible || o.image)) throw new KysoError('INVALID_PARAMS', { field: 'visible' }, '--visible and --image are for PDF files');
  const visible = o.visible ? { ...parseVisible(o.visible), ...(o.image ? { imagePng: readFileSync(o.image) } : {}) } : undefined;
  if (o.image && !visible) throw new KysoError('INVALID_PARAMS', { field: 'image' }, '--image needs --visible PAGE:llx,lly,urx,ury');
  const pdf = format === 'pades' ? { visible, reason: o.reason, location: o.location } : undefined;
  return {
    certificateId: o.certificate, format, profile: o.profile, level: o.level, content: readFileSync(file), name: basename(file),
    options: pdf ? { pdf } : undefined,
  };
}

export async function runSign(file: string, o: SignCliOptions): Promise<number> {
  const request = signRequest(file, o);
  const out = resolve(o.out ?? defaultOutput(file, request.format));
  if (out === resolve(file)) throw new KysoError('INVALID_PARAMS', { field: 'out' }, '--out must not be the input file');
  const assembled = await buildCore({
    configFile: o.config, modules: o.module, p12Files: o.p12, pinentry: o.pinentry, trustAnchorFiles: o.trustAnchor,
    revocation: o.revocation, lang: o.lang, tsaUrls: o.tsa, localOrigins: [LOCAL_USER_ORIGIN], log: createLogger({ level: o.logLevel ?? 'warn' }),
  });
  try {
    const r = await assembled.core.signDocument({ origin: LOCAL_USER_ORIGIN, lang: assembled.lang }, request);
    writeFileSync(out, r.content);
    process.stdout.write(`Đã ký / Signed: ${out}\n  ${request.format.toUpperCase()} B-${r.level} · ${r.content.length} bytes\n  Người ký / Signer: ${r.signer.subject} (serial ${r.signer.serialNumber})\n`);
    return 0;
  } finally {
    await assembled.close();
  }
}

export function registerSign(program: Command): void {
  program.command('sign')
    .description('Sign a PDF, XML or other file with a token or .p12 file / Ký tệp PDF, XML hoặc tệp khác bằng USB ký số hoặc tệp .p12')
    .argument('<file>', 'the file to sign / tệp cần ký')
    .addOption(new Option('--format <format>', 'pades | xmldsig | cms (default from the extension: .pdf, .xml, other)').choices(['pades', 'xmldsig', 'cms']))
    .addOption(new Option('--profile <profile>', 'XML profile / hồ sơ XML').choices(['vn-einvoice', 'vn-tax', 'vn-bhxh', 'generic']))
    .addOption(new Option('--level <level>', 'B | T | LT (T, LT need a TSA)').choices(['B', 'T', 'LT']))
    .option('--visible <spec>', 'visible PDF signature PAGE:llx,lly,urx,ury / chữ ký hiển thị: trang:toạ độ')
    .option('--image <png>', 'PNG shown in the visible signature (signature or seal image) / ảnh chữ ký, con dấu')
    .option('--reason <text>', 'PDF: reason / lý do ký')
    .option('--location <text>', 'PDF: location / nơi ký')
    .option('--tsa <url>', 'RFC 3161 time-stamping service (repeatable; the first is used)', collect, [])
    .option('--certificate <id>', 'certificate id (kyso-bridge certs); default: choose in the dialog')
    .option('--out <file>', 'output file (default NAME.signed.EXT; CMS: FILE.p7s) / tệp kết quả')
    .option('--module <path>', 'PKCS#11 module (repeatable)', collect, [])
    .option('--p12 <file>', 'certificate file .p12/.pfx; its password is asked in the dialog (repeatable)', collect, [])
    .option('--pinentry <program>', 'pinentry program for consent and PIN dialogs')
    .option('--trust-anchor <file>', 'extra trusted root (repeatable)', collect, [])
    .option('--config <file>', 'config file (default ~/.config/kyso-bridge/config.json)')
    .addOption(new Option('--revocation <policy>', 'certificate revocation check: require | prefer | off').choices(['require', 'prefer', 'off']))
    .addOption(new Option('--lang <lang>', 'dialog language').choices(['vi', 'en']))
    .option('--log-level <level>', 'trace | debug | info | warn | error', 'warn')
    .action(async (file: string, o: SignCliOptions) => {
      process.exitCode = await runSign(file, o);
    });
}
