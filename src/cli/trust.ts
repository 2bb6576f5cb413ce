// `kyso-bridge trust install|status|remove`: makes browsers trust the bridge's per-install CA.
// Linux: certutil on the NSS databases (src/trust/nss.ts). macOS and Windows: the exact
// commands for that OS are printed, since they need the OS's own dialogs.
import type { Command } from 'commander';
import { defaultTrustEnv, TrustError, trustInstall, trustRemove, trustStatus, type TrustEnv, type TrustReport } from '../trust/nss.js';
import { caCommonName, formatReport, manualSteps, stepsForPlatform } from '../trust/report.js';

export function registerTrust(program: Command): void {
  const trust = program.command('trust')
    .description('Cho trình duyệt tin cậy kết nối wss tới kyso-bridge / make browsers trust the bridge\'s local CA');
  const withDir = (c: Command) => c.option('--config-dir <dir>', 'thư mục cấu hình / config directory').option('--json', 'JSON output');

  const run = (fn: (env: TrustEnv) => TrustReport, title: string, after?: (r: TrustReport, env: TrustEnv) => string) =>
    (opts: { configDir?: string; json?: boolean }) => {
      const env = defaultTrustEnv(opts.configDir);
      try {
        const report = fn(env);
        const steps = stepsForPlatform(manualSteps(report.caFile, caCommonName(env)));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...report, manualSteps: steps ? { [steps.os]: steps.lines } : {} }, null, 2)}\n`);
        } else {
          process.stdout.write(`${formatReport(report, title)}\n${after ? after(report, env) : ''}\n`);
          if (steps) process.stdout.write(`\n${steps.lines.join('\n')}\n`);
        }
        if (report.databases.some((d) => d.state === 'error')) process.exitCode = 1;
      } catch (e) {
        if (!(e instanceof TrustError)) throw e;
        process.stderr.write(`${e.vi}\n${e.en}\n`);
        process.exitCode = 1;
      }
    };

  withDir(trust.command('install').description('Thêm CA vào trình duyệt / add the CA to the browsers'))
    .action(run(trustInstall, 'Cài đặt tin cậy / installing trust',
      () => 'Hãy khởi động lại trình duyệt. / Restart your browser.'));
  withDir(trust.command('status').description('Trạng thái tin cậy / show trust state'))
    .action(run(trustStatus, 'Trạng thái / status', (r) => (r.databases.some((d) => d.state !== 'installed')
      ? 'Chạy "kyso-bridge trust install" để cài. / Run "kyso-bridge trust install".' : '')));
  withDir(trust.command('remove').description('Gỡ CA khỏi trình duyệt / remove the CA from the browsers'))
    .action(run(trustRemove, 'Gỡ tin cậy / removing trust'));
}
