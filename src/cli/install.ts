// `kyso-bridge install [--user]` / `uninstall [--user]`: start the bridge at login without a
// package (a clone, npm). Writes the autostart file of this OS (src/install/autostart.ts), then,
// for the current user, the first-start steps: TLS material and browser trust.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { defaultConfigDir } from '../paths.js';
import { applyAutostart, autostartPlan, removeAutostart, type Scope, type StepResult } from '../install/autostart.js';
import { runFirstStart, type FirstStartResult } from '../install/first-start.js';
import { SERVE_ARGS, type StartCommand } from '../install/units.js';
import { formatReport } from '../trust/report.js';

interface InstallCliOptions { user?: boolean; print?: boolean }

/** This very CLI, as a login item would start it: the Node binary and the script, no shell. */
export function selfCommand(): StartCommand {
  return { program: process.execPath, args: [realpathSync(process.argv[1]), ...SERVE_ARGS] };
}

function scopeOf(o: InstallCliOptions): Scope {
  // Only root can enable for every user; anyone else installs for themselves.
  return o.user || process.platform !== 'linux' || process.getuid?.() !== 0 ? 'user' : 'global';
}

function plan(o: InstallCliOptions) {
  return autostartPlan({ platform: process.platform, scope: scopeOf(o), home: homedir(), env: process.env, command: selfCommand(), uid: process.getuid?.() });
}

function printSteps(steps: StepResult[], startsNow: boolean): void {
  for (const s of steps) process.stdout.write(`${s.ok ? '✔' : '✖'} ${s.command}${s.error ? ` — ${s.error}` : ''}\n`);
  if (steps.some((s) => !s.ok)) {
    process.stdout.write('Chưa đăng ký được với trình quản lý dịch vụ (ví dụ: không có phiên đăng nhập); kyso-bridge sẽ chạy từ lần đăng nhập sau.\n'
      + 'Could not reach the service manager now (e.g. no login session); kyso-bridge starts at the next login.\n');
  } else if (startsNow) {
    process.stdout.write('kyso-bridge đang chạy và sẽ tự chạy mỗi khi đăng nhập. / kyso-bridge is running and starts at every login.\n');
  }
}

export function describeFirstStart(r: FirstStartResult): string {
  const lines = [`TLS: ${r.caFile}${r.tlsCreated ? ' (mới tạo / created)' : ''}`];
  if (r.report) lines.push(formatReport(r.report, 'Tin cậy của trình duyệt / browser trust'));
  if (r.trust === 'already') lines.push('Trình duyệt đã tin cậy CA này. / The browsers already trust this CA.');
  if (r.error) lines.push(r.error.vi, r.error.en);
  if (r.trust === 'installed') lines.push('Hãy khởi động lại trình duyệt nếu nó đang mở. / Restart the browser if it is open.');
  return `${lines.join('\n')}\n`;
}

export function registerInstall(program: Command): void {
  program.command('install')
    .description('Tự chạy kyso-bridge khi đăng nhập / start kyso-bridge at login (systemd user unit, LaunchAgent, Task Scheduler)')
    .option('--user', 'chỉ cho người dùng này / for this user only (default unless root on Linux)')
    .option('--print', 'in tệp sẽ ghi, không ghi gì / print the file instead of installing')
    .action(async (o: InstallCliOptions) => {
      const p = plan(o);
      if (o.print) {
        process.stdout.write(`# ${p.file}\n${p.content}`);
        return;
      }
      const steps = applyAutostart(p);
      process.stdout.write(`✔ ${p.file}\n`);
      if (scopeOf(o) === 'user') {
        process.stdout.write(describeFirstStart(await runFirstStart({ configDir: defaultConfigDir(), home: homedir(), force: true })));
      } else {
        process.stdout.write('Mỗi người dùng: lần khởi động đầu tiên tự tạo chứng thư TLS và cài tin cậy vào trình duyệt.\n'
          + 'Each user: the first start creates the TLS material and makes the browsers trust it.\n');
      }
      // A failed enable is reported but is not an error: the file is in place and takes effect at login.
      printSteps(steps, p.startsNow);
    });
  program.command('uninstall')
    .description('Thôi tự chạy kyso-bridge / stop starting kyso-bridge at login (keeps your settings and certificates)')
    .option('--user', 'chỉ cho người dùng này / for this user only (default unless root on Linux)')
    .action((o: InstallCliOptions) => {
      const p = plan(o);
      const { removed, steps } = removeAutostart(p);
      for (const s of steps) process.stdout.write(`${s.ok ? '✔' : '✖'} ${s.command}${s.error ? ` — ${s.error}` : ''}\n`);
      process.stdout.write(removed
        ? `✔ Đã gỡ / removed ${p.file}\nCấu hình, chứng thư TLS và tin cậy của trình duyệt được giữ lại ("kyso-bridge trust remove" để gỡ tin cậy).\nYour settings, TLS material and browser trust are kept ("kyso-bridge trust remove" removes the trust).\n`
        : `Không có ${p.file}. / ${p.file} is not installed.\n`);
    });
}
