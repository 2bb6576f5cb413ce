// How this user starts kyso-bridge, so a fix names the right command: the demo from a clone
// (`npm run demo`), the login service (package or `kyso-bridge install`), or `kyso-bridge serve`.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

export interface StartHow {
  kind: 'demo' | 'systemd' | 'launchd' | 'manual';
  /** What to tell the user, e.g. 'systemctl --user restart kyso-bridge'. */
  command: { vi: string; en: string };
}

export interface StartHowEnv {
  platform?: string;
  home?: string;
  env?: NodeJS.ProcessEnv;
  exists?: (p: string) => boolean;
}

export function howStarted(configDir: string, e: StartHowEnv = {}): StartHow {
  const exists = e.exists ?? existsSync;
  const home = e.home ?? homedir();
  const env = e.env ?? process.env;
  if (configDir.split(sep).includes('.kyso-demo')) {
    return { kind: 'demo', command: { vi: 'chạy lại "npm run demo" trong thư mục mã nguồn kyso-bridge', en: 'run "npm run demo" again in the kyso-bridge folder' } };
  }
  if ((e.platform ?? process.platform) === 'darwin' && exists(join(home, 'Library', 'LaunchAgents', 'vn.kyso-bridge.daemon.plist'))) {
    return { kind: 'launchd', command: { vi: 'đăng xuất rồi đăng nhập lại (hoặc chạy "launchctl kickstart -k gui/$UID/vn.kyso-bridge.daemon")', en: 'log out and in again (or run "launchctl kickstart -k gui/$UID/vn.kyso-bridge.daemon")' } };
  }
  const units = [join(env.XDG_CONFIG_HOME || join(home, '.config'), 'systemd', 'user'), '/etc/systemd/user', '/usr/lib/systemd/user'].map((d) => join(d, 'kyso-bridge.service'));
  if (units.some(exists)) {
    return { kind: 'systemd', command: { vi: 'chạy "systemctl --user restart kyso-bridge" (hoặc đăng xuất rồi đăng nhập lại)', en: 'run "systemctl --user restart kyso-bridge" (or log out and in again)' } };
  }
  return { kind: 'manual', command: { vi: 'mở Terminal và chạy "kyso-bridge serve" (hoặc "kyso-bridge install" để tự chạy khi đăng nhập)', en: 'open a terminal and run "kyso-bridge serve" (or "kyso-bridge install" to start it at every login)' } };
}
