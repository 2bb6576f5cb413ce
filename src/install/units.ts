// The autostart files, as text: a systemd user unit (Linux), a LaunchAgent plist (macOS) and a
// Task Scheduler task (Windows). All start the same command at login: `serve --first-start`,
// which creates the TLS material and makes the browsers trust it before listening.
// Only the systemd unit is run by the tests; the macOS and Windows files are checked as text.

export const UNIT_NAME = 'kyso-bridge.service';
export const LAUNCH_AGENT_LABEL = 'vn.kyso-bridge.daemon';
export const TASK_NAME = 'kyso-bridge';

/** The daemon's command line: the program, then its arguments (no shell). */
export interface StartCommand {
  program: string;
  args: string[];
}

export const SERVE_ARGS = ['serve', '--first-start'];

/** systemd quoting: each word in double quotes when it holds a space, a quote, a backslash or a specifier. */
function systemdWord(w: string): string {
  const escaped = w.replace(/%/g, '%%');
  return /[\s"'\\$;]/.test(escaped) ? `"${escaped.replace(/(["\\])/g, '\\$1')}"` : escaped;
}

/**
 * A user unit, started with the user's session manager. Type=simple: `serve` stays in the
 * foreground. Restart=on-failure brings it back after a crash, not after `systemctl stop`.
 */
export function systemdUserUnit(cmd: StartCommand, opts: { docPath?: string } = {}): string {
  const exec = [cmd.program, ...cmd.args].map(systemdWord).join(' ');
  return `[Unit]
Description=kyso-bridge: USB signing-token bridge for web portals (cầu nối USB ký số)
${opts.docPath ? `Documentation=file://${opts.docPath}
` : ''}
[Service]
Type=simple
ExecStart=${exec}
Restart=on-failure
RestartSec=5
# The loopback port is the only way in; nothing here needs more privileges than the user has.
NoNewPrivileges=yes

[Install]
WantedBy=default.target
`;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** ~/Library/LaunchAgents/vn.kyso-bridge.daemon.plist: started at login, restarted if it crashes. */
export function launchAgentPlist(cmd: StartCommand, opts: { logDir: string }): string {
  const args = [cmd.program, ...cmd.args].map((a) => `    <string>${xmlEscape(a)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCH_AGENT_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ProcessType</key>
  <string>Interactive</string>
  <key>StandardOutPath</key>
  <string>${xmlEscape(`${opts.logDir}/kyso-bridge.log`)}</string>
  <key>StandardErrorPath</key>
  <string>${xmlEscape(`${opts.logDir}/kyso-bridge.log`)}</string>
</dict>
</plist>
`;
}

/** Windows command-line quoting of one argument (CommandLineToArgvW rules). */
function winArg(a: string): string {
  if (a !== '' && !/[\s"]/.test(a)) return a;
  return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * A Task Scheduler task (schtasks /Create /XML FILE /TN kyso-bridge): at the user's logon, in
 * the user's session (dialogs need the desktop), no time limit, restarted on failure.
 */
export function taskSchedulerXml(cmd: StartCommand, opts: { userId: string }): string {
  return `<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>kyso-bridge: USB signing-token bridge for web portals (cầu nối USB ký số)</Description>
    <URI>\\${TASK_NAME}</URI>
  </RegistrationInfo>
  <Triggers>
    <LogonTrigger>
      <Enabled>true</Enabled>
      <UserId>${xmlEscape(opts.userId)}</UserId>
    </LogonTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <UserId>${xmlEscape(opts.userId)}</UserId>
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure>
      <Interval>PT1M</Interval>
      <Count>3</Count>
    </RestartOnFailure>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>${xmlEscape(winArg(cmd.program))}</Command>
      <Arguments>${xmlEscape(cmd.args.map(winArg).join(' '))}</Arguments>
    </Exec>
  </Actions>
</Task>
`;
}
