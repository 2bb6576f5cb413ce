// `kyso-bridge certs`: the user certificates on every token, with Vietnamese identity fields.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { validateCertificate, type CertificateStatus, type RevocationPolicy } from '../certs/index.js';
import { loadConfig } from '../config/config.js';
import { certificateView } from '../core/certificate-view.js';
import { credentialOf } from '../pkcs11/pkcs11-provider.js';
import type { TokenManager } from '../pkcs11/token-manager.js';
import type { CertificateJson } from '../types.js';
import { addModuleOptions, collect, openTokenManager, table, type ModuleCliOptions } from './common.js';

type CertsOptions = ModuleCliOptions & { json?: boolean; trustAnchor: string[]; revocation?: RevocationPolicy; lang?: 'vi' | 'en' };

/** Each certificate with its validation status (chain material: the token's own CA objects). */
async function withStatus(manager: TokenManager, opts: CertsOptions): Promise<(CertificateJson & { status: CertificateStatus })[]> {
  const { config } = loadConfig(opts.config);
  const trustAnchors = [...opts.trustAnchor, ...(config.trustAnchors ?? [])].map((f) => readFileSync(f));
  const out = [];
  for (const c of await manager.userCertificates()) {
    const intermediates = (await manager.authorityCertificates(c.token.id)).map((x) => x.raw);
    const status = await validateCertificate(c.object.der, {
      purpose: 'sign', intermediates, trustAnchors, revocation: opts.revocation ?? config.revocation ?? 'prefer', lang: opts.lang ?? config.lang,
    });
    out.push({ ...certificateView(credentialOf(c)), status });
  }
  return out;
}

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
      const manager = await openTokenManager(opts);
      try {
        const certs = await withStatus(manager, opts);
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
        manager.close();
      }
    });
}
