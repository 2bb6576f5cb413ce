// `kyso-bridge certs`: the user certificates on every token, with Vietnamese identity fields.
import type { Command } from 'commander';
import { certificateView } from '../core/certificate-view.js';
import type { CertificateJson } from '../types.js';
import { addModuleOptions, openTokenManager, table, type ModuleCliOptions } from './common.js';

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
    .action(async (opts: ModuleCliOptions & { json?: boolean }) => {
      const manager = await openTokenManager(opts);
      try {
        const certs = (await manager.userCertificates()).map(certificateView);
        if (opts.json) {
          process.stdout.write(JSON.stringify(certs, null, 2) + '\n');
          return;
        }
        if (certs.length === 0) {
          process.stdout.write('Không có chứng thư số nào. / No certificate found.\n');
          return;
        }
        process.stdout.write(table(
          ['Tên / Name', 'Số định danh / Ids', 'Hiệu lực từ / From', 'Đến / Until', 'Khoá / Key', 'Mã / Id'],
          certs.map((c) => [displayName(c), idNumbers(c),
            c.notBefore.slice(0, 10), c.notAfter.slice(0, 10), `${c.keyAlgorithm}${c.hasPrivateKey ? '' : ' (không có khoá / no key)'}`, c.id]),
        ) + '\n');
      } finally {
        manager.close();
      }
    });
}
