// `kyso-bridge install`: the autostart files as text (systemd unit verified by systemd-analyze;
// the macOS plist and the Windows task XML checked as text only, never run here), and
// `install --user` / `uninstall --user` on Linux with the per-user first-start steps.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { autostartPlan } from '../src/install/autostart.js';
import { runFirstStart } from '../src/install/first-start.js';
import { launchAgentPlist, systemdUserUnit, taskSchedulerXml } from '../src/install/units.js';
import { trustRemove } from '../src/trust/nss.js';
import { CLI } from './support/daemon.js';

const base = mkdtempSync(join(tmpdir(), 'kyso-install-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const cmd = { program: '/opt/kyso bridge/node', args: ['/opt/kyso bridge/app/kyso-bridge.js', 'serve', '--first-start'] };

describe('autostart files', () => {
  it('systemd user unit: quoted ExecStart, restart on failure, wanted by default.target; systemd-analyze verify passes', () => {
    const unit = systemdUserUnit(cmd);
    expect(unit).toContain('ExecStart="/opt/kyso bridge/node" "/opt/kyso bridge/app/kyso-bridge.js" serve --first-start');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^WantedBy=default.target$/m);
    // Verify a unit whose program exists (systemd checks ExecStart's binary).
    const file = join(base, 'kyso-bridge.service');
    writeFileSync(file, systemdUserUnit({ program: process.execPath, args: ['/dev/null', 'serve', '--first-start'] }));
    const runtime = join(base, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    const v = spawnSync('systemd-analyze', ['verify', '--user', file], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    expect(v.stderr.trim()).toBe('');
    expect(v.status).toBe(0);
  });

  it('macOS LaunchAgent plist (text only): label, arguments escaped one per string, RunAtLoad, KeepAlive on failure', () => {
    const plist = launchAgentPlist({ program: '/Applications/kyso & co/node', args: ['serve', '--first-start'] }, { logDir: '/Users/an/Library/Logs' });
    expect(plist).toContain('<string>vn.kyso-bridge.daemon</string>');
    expect(plist).toContain('<string>/Applications/kyso &amp; co/node</string>\n    <string>serve</string>\n    <string>--first-start</string>');
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(spawnSync('xmllint', ['--version']).status === 0 ? spawnSync('xmllint', ['--noout', '-'], { input: plist }).status : 0).toBe(0);
  });

  it('Windows Task Scheduler XML (text only): logon trigger for the user, interactive, no time limit, quoted command', () => {
    const xml = taskSchedulerXml({ program: 'C:\\Program Files\\kyso-bridge\\node.exe', args: ['C:\\Program Files\\kyso-bridge\\app\\kyso-bridge.js', 'serve', '--first-start'] }, { userId: 'PC\\an' });
    expect(xml).toContain('<LogonTrigger>');
    expect(xml).toContain('<UserId>PC\\an</UserId>');
    expect(xml).toContain('<LogonType>InteractiveToken</LogonType>');
    expect(xml).toContain('<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>');
    expect(xml).toContain('<Command>&quot;C:\\Program Files\\kyso-bridge\\node.exe&quot;</Command>');
    expect(xml).toContain('<Arguments>&quot;C:\\Program Files\\kyso-bridge\\app\\kyso-bridge.js&quot; serve --first-start</Arguments>');
  });

  it('plans: where each OS keeps the file and which commands register it', () => {
    const env = { XDG_CONFIG_HOME: '/h/.cfg', LOCALAPPDATA: 'C:\\Users\\an\\AppData\\Local' };
    expect(autostartPlan({ platform: 'linux', scope: 'user', home: '/h', env, command: cmd }).file).toBe('/h/.cfg/systemd/user/kyso-bridge.service');
    const global = autostartPlan({ platform: 'linux', scope: 'global', home: '/h', env, command: cmd });
    expect([global.file, global.enable]).toEqual(['/etc/systemd/user/kyso-bridge.service', [['systemctl', '--global', 'enable', 'kyso-bridge.service']]]);
    const mac = autostartPlan({ platform: 'darwin', scope: 'user', home: '/Users/an', env, command: cmd, uid: 501 });
    expect(mac.enable).toEqual([['launchctl', 'bootstrap', 'gui/501', '/Users/an/Library/LaunchAgents/vn.kyso-bridge.daemon.plist']]);
    const win = autostartPlan({ platform: 'win32', scope: 'user', home: 'C:\\Users\\an', env, command: cmd });
    expect(win.file).toBe('C:\\Users\\an\\AppData\\Local\\kyso-bridge\\kyso-bridge-task.xml');
    expect(win.enable[0]).toEqual(['schtasks', '/Create', '/XML', win.file, '/TN', 'kyso-bridge', '/F']);
  });
});

describe('first start and install --user', () => {
  it('first start: TLS material, trust in a Chromium NSS db it creates; once per CA, so a later "trust remove" is respected', async () => {
    const home = join(base, 'fs-home');
    const configDir = join(home, '.config', 'kyso-bridge');
    const first = await runFirstStart({ configDir, home });
    expect(first).toMatchObject({ tlsCreated: true, trust: 'installed' });
    expect(existsSync(join(home, '.pki', 'nssdb', 'cert9.db'))).toBe(true);
    trustRemove({ home, configDir });
    expect((await runFirstStart({ configDir, home })).trust).toBe('already');
  });

  it('install --user writes the unit, runs the first-start steps (no session bus: starts at next login); uninstall removes it', async () => {
    const home = join(base, 'cli-home');
    mkdirSync(home, { recursive: true });
    const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), KYSO_CONFIG_DIR: '', XDG_RUNTIME_DIR: '', DBUS_SESSION_BUS_ADDRESS: '' };
    const run = (args: string[]) => new Promise<string>((res) => execFile(process.execPath, [CLI, ...args], { env, encoding: 'utf8' }, (_e, out) => res(out)));
    const out = await run(['install', '--user']);
    const unitFile = join(home, '.config', 'systemd', 'user', 'kyso-bridge.service');
    expect(out).toContain(unitFile);
    expect(readFileSync(unitFile, 'utf8')).toContain(`ExecStart=${process.execPath} ${CLI} serve --first-start`);
    expect(existsSync(join(home, '.config', 'kyso-bridge', 'tls', 'ca.pem'))).toBe(true);
    expect(out).toContain('đã tin cậy / trusted');
    expect(await run(['uninstall', '--user'])).toContain('Đã gỡ / removed');
    expect(existsSync(unitFile)).toBe(false);
    expect(existsSync(join(home, '.config', 'kyso-bridge', 'tls', 'ca.pem'))).toBe(true); // user state stays
  });
});
