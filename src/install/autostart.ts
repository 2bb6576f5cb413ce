// Where each OS keeps a login-started program and which commands register it: a plan (pure, so
// tests read it as text), carried out by apply/remove. systemd: the user's unit directory
// (--user) or /etc/systemd/user enabled for every user (root). macOS: a LaunchAgent. Windows: a
// Task Scheduler task. The package (.deb) ships its unit itself and enables it in postinst.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, win32 } from 'node:path';
import { launchAgentPlist, LAUNCH_AGENT_LABEL, systemdUserUnit, TASK_NAME, taskSchedulerXml, UNIT_NAME, type StartCommand } from './units.js';

export type Scope = 'user' | 'global';

export interface PlanInput {
  platform: NodeJS.Platform;
  scope: Scope;
  home: string;
  env: NodeJS.ProcessEnv;
  command: StartCommand;
  uid?: number;
  /** Windows account for the logon trigger (DOMAIN\\user). */
  windowsUser?: string;
  docPath?: string;
}

export interface AutostartPlan {
  file: string;
  content: string;
  /** Run after writing the file; a failure is reported, the file stays. */
  enable: string[][];
  /** Run before deleting the file. */
  disable: string[][];
  /** Started now by `enable` (otherwise at the next login). */
  startsNow: boolean;
}

export function autostartPlan(p: PlanInput): AutostartPlan {
  if (p.platform === 'darwin') {
    const file = posix.join(p.home, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`);
    const domain = `gui/${p.uid ?? 501}`;
    return {
      file, content: launchAgentPlist(p.command, { logDir: posix.join(p.home, 'Library', 'Logs') }),
      enable: [['launchctl', 'bootstrap', domain, file]], disable: [['launchctl', 'bootout', `${domain}/${LAUNCH_AGENT_LABEL}`]], startsNow: true,
    };
  }
  if (p.platform === 'win32') {
    const base = p.env.LOCALAPPDATA || win32.join(p.home, 'AppData', 'Local');
    const file = win32.join(base, 'kyso-bridge', 'kyso-bridge-task.xml');
    return {
      file, content: taskSchedulerXml(p.command, { userId: p.windowsUser ?? `${p.env.USERDOMAIN ?? ''}\\${p.env.USERNAME ?? ''}` }),
      enable: [['schtasks', '/Create', '/XML', file, '/TN', TASK_NAME, '/F'], ['schtasks', '/Run', '/TN', TASK_NAME]],
      disable: [['schtasks', '/End', '/TN', TASK_NAME], ['schtasks', '/Delete', '/TN', TASK_NAME, '/F']], startsNow: true,
    };
  }
  const content = systemdUserUnit(p.command, { docPath: p.docPath });
  if (p.scope === 'global') {
    return {
      file: join('/etc/systemd/user', UNIT_NAME), content,
      enable: [['systemctl', '--global', 'enable', UNIT_NAME]], disable: [['systemctl', '--global', 'disable', UNIT_NAME]], startsNow: false,
    };
  }
  const configHome = p.env.XDG_CONFIG_HOME || join(p.home, '.config');
  return {
    file: join(configHome, 'systemd', 'user', UNIT_NAME), content,
    enable: [['systemctl', '--user', 'daemon-reload'], ['systemctl', '--user', 'enable', '--now', UNIT_NAME]],
    disable: [['systemctl', '--user', 'disable', '--now', UNIT_NAME]], startsNow: true,
  };
}

export interface StepResult { command: string; ok: boolean; error?: string }

function run(commands: string[][]): StepResult[] {
  const out: StepResult[] = [];
  for (const [cmd, ...args] of commands) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
    const ok = r.status === 0;
    out.push({ command: [cmd, ...args].join(' '), ok, ...(ok ? {} : { error: (r.error?.message ?? r.stderr ?? '').trim() }) });
    if (!ok) break; // later steps depend on earlier ones (reload before enable)
  }
  return out;
}

export function applyAutostart(plan: AutostartPlan): StepResult[] {
  mkdirSync(dirname(plan.file), { recursive: true });
  // Task Scheduler reads its XML as UTF-16 (what the file declares), with a byte-order mark.
  const bytes = plan.file.endsWith('.xml') ? Buffer.from(`\ufeff${plan.content}`, 'utf16le') : plan.content;
  writeFileSync(plan.file, bytes, { mode: 0o644 });
  return run(plan.enable);
}

export function removeAutostart(plan: AutostartPlan): { removed: boolean; steps: StepResult[] } {
  if (!existsSync(plan.file)) return { removed: false, steps: [] };
  const steps = run(plan.disable);
  rmSync(plan.file, { force: true });
  return { removed: true, steps };
}
