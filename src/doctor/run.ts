// Runs every check in the order a support person would ask, and never lets one failing check
// hide the others' findings.
import { checkDaemon } from './check-daemon.js';
import { checkModules } from './check-modules.js';
import { checkPin } from './check-pin.js';
import { checkPinentry } from './check-pinentry.js';
import { checkPluginPorts } from './check-plugin-ports.js';
import { checkTls } from './check-tls.js';
import { checkTokens } from './check-tokens.js';
import { checkUsb } from './check-usb.js';
import { loadConfig } from '../config/config.js';
import { configureCatalogue } from '../hardware/catalogue.js';
import { daemonFor } from '../inspect/token-view.js';
import { howStarted } from './start-command.js';
import { finding, type Check, type DoctorContext, type DoctorOptions, type Finding } from './types.js';

export type { Finding, DoctorOptions, Severity } from './types.js';

const CHECKS: [string, Check][] = [
  ['daemon', checkDaemon], ['plugin-ports', checkPluginPorts], ['tls', checkTls], ['modules', checkModules],
  ['usb', checkUsb], ['tokens', checkTokens], ['pin', checkPin], ['pinentry', checkPinentry],
];

export async function runDoctor(opts: DoctorOptions): Promise<{ findings: Finding[] }> {
  // The config's own driver entries count as much as the bundled catalogue.
  configureCatalogue(loadConfig(opts.configFile).config.drivers ?? []);
  const daemon = await daemonFor({ configFile: opts.explicitConfig ? opts.configFile : undefined, controlPath: opts.controlPath }).catch(() => undefined);
  // With a daemon running, its config dir (TLS material, trust) is the one that matters.
  const configDir = daemon?.configDir ?? opts.configDir;
  const ctx: DoctorContext = { ...opts, configDir, daemon, start: howStarted(configDir) };
  const findings: Finding[] = [];
  try {
    for (const [name, check] of CHECKS) {
      try {
        findings.push(...await check(ctx));
      } catch (e) {
        findings.push(finding(ctx, `${name}.failed`, 'warning',
          { vi: `Không kiểm tra được mục "${name}": ${(e as Error)?.message ?? String(e)}`, en: `The "${name}" check failed: ${(e as Error)?.message ?? String(e)}` },
          { vi: 'Gửi kết quả này cho bộ phận hỗ trợ.', en: 'Send this report to support.' }));
      }
    }
  } finally {
    ctx.view?.close();
  }
  return { findings };
}

/** Any error finding blocks signing: the command exits non-zero. */
export function hasBlockingProblem(findings: Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
