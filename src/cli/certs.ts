// `kyso-bridge certs`: the user certificates on every token, with Vietnamese identity fields and
// validation status — the running daemon's when one runs, else validated here.
import type { Command } from 'commander';
import type { RevocationPolicy } from '../certs/index.js';
import type { CertificateJson } from '../types.js';
import { addModuleOptions, collect, openTokens, table, type ModuleCliOptions } from './common.js';

type CertsOptions = ModuleCliOptions & { json?: boolean; trustAnchor: string[]; revocation?: RevocationPolicy; lang?: 'vi' | 'en' };

function idNumbers(c: CertificateJson): string {
  const i = c.identity;
  return [i.taxCode && `MST ${i.taxCode}`, i.citizenId && `CCCD ${i.citizenId}`, i.legacyId && `CMND ${i.legacyId}`, i.passport && `HC ${i.passport}`]
    .filter(Boolean).join(', ');
}

function displayName(c: CertificateJson): string {
  const { commonName: cn, organization: o } = c.identity;
  if (cn && o && cn !== o) return `${cn} (${o})`;
  return cn ?? o ?? c.subject;
}

export function registerCerts(program: Command): void {
  addModuleOptions(program.command('certs').description('List certificates on the tokens / Liệt kê chứng thư số'))
    .option('--json', 'JSON output')
    .option('--trust-anchor <file>', 'extra trusted root, PEM or DER (repeatable)', collect, [])
    .option('--revocation <policy>', 'require | prefer | off (default prefer)')
    .option('--lang <lang>', 'vi | en')
    .action(async (opts: CertsOptions) => {
      // Own anchors or policy mean "validate my way": read directly, not the daemon's results.
      const local = opts.trustAnchor.length > 0 || opts.revocation !== undefined;
      const view = await openTokens({ ...opts, local, trustAnchorFiles: opts.trustAnchor });
      try {
        const certs = await view.certificates();
        if (opts.json) {
          process.stdout.write(JSON.stringify(certs, null, 2) + '\n');
          return;
        }
        if (certs.length === 0) {
          process.stdout.write('Không có chứng thư số nào. / No certificate found.\n');
          return;
        }
        process.stdout.write(table(
          ['Tên / Name', 'Số định danh / Ids', 'Hiệu lực từ / From', 'Đến / Until', 'Khoá / Key', 'Trạng thái / Status', 'Mã / Id'],
          certs.map((c) => [displayName(c), idNumbers(c),
            c.notBefore.slice(0, 10), c.notAfter.slice(0, 10), `${c.keyAlgorithm}${c.hasPrivateKey ? '' : ' (không có khoá / no key)'}`, c.status.code, c.id]),
        ) + '\n');
      } finally {
        view.close();
      }
    });
}
