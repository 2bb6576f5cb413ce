// `kyso-bridge doctor [--json] [--lang vi|en]`: explains, in plain words, why signing does not
// work on this computer (daemon, ports, TLS trust, drivers, USB tokens, certificates, PIN state,
// pinentry). Exit 1 when a finding is an error.
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultConfigFile, loadConfig } from '../config/config.js';
import type { RevocationPolicy } from '../certs/index.js';
import { formatFindings } from '../doctor/format.js';
import { hasBlockingProblem, runDoctor } from '../doctor/run.js';
import { DEFAULT_PORT } from '../transport/limits.js';
import { addModuleOptions, collect, type ModuleCliOptions } from './common.js';

interface DoctorCliOptions extends ModuleCliOptions {
  json?: boolean;
  lang?: string;
  port?: string;
  trustAnchor: string[];
  revocation?: RevocationPolicy;
  pinentry?: string;
}

export function registerDoctor(program: Command): void {
  addModuleOptions(program.command('doctor').description('Kiểm tra và hướng dẫn sửa lỗi chữ ký số / diagnose the signing setup'))
    .option('--json', 'JSON output: {findings: [{id, severity, message, fix}]}')
    .option('--lang <lang>', 'vi | en (mặc định / default vi)')
    .option('--port <n>', `daemon port to probe (default: config or ${DEFAULT_PORT})`)
    .option('--trust-anchor <file>', 'extra trusted root, PEM or DER (repeatable)', collect, [])
    .option('--revocation <policy>', 'require | prefer | off (default prefer)')
    .option('--pinentry <program>', 'pinentry program the daemon uses')
    .action(async (o: DoctorCliOptions) => {
      const { config } = loadConfig(o.config);
      const lang = o.lang === 'en' ? 'en' : o.lang === 'vi' ? 'vi' : config.lang ?? 'vi';
      const { findings } = await runDoctor({
        lang, port: o.port !== undefined ? Number(o.port) : config.port ?? DEFAULT_PORT,
        modules: o.module ?? [], configFile: o.config, configDir: dirname(resolve(o.config ?? defaultConfigFile())),
        trustAnchorFiles: [...o.trustAnchor, ...(config.trustAnchors ?? [])], revocation: o.revocation ?? config.revocation ?? 'prefer',
        pinentry: o.pinentry ?? config.pinentry, localTokens: (o.module ?? []).length > 0 || o.trustAnchor.length > 0 || o.revocation !== undefined,
        explicitConfig: o.config !== undefined,
      });
      process.stdout.write(o.json ? `${JSON.stringify({ findings }, null, 2)}\n` : formatFindings(findings, lang));
      if (hasBlockingProblem(findings)) process.exitCode = 1;
    });
}
