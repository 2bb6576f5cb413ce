// `kyso-bridge status [--json]`: one line a script can read. Exit 0 "running <version>
// <listeners> <N> tokens" when this user's daemon answers on the control socket, exit 3
// "not running" otherwise (the LSB status code for a stopped service).
import type { Command } from 'commander';
import { controlCall } from '../control/client.js';
import type { ControlStatus } from '../control/protocol.js';

export const NOT_RUNNING_EXIT = 3;

export function statusLine(s: ControlStatus | undefined): string {
  return s ? `running ${s.version} ${s.listeners.join(',')} ${s.tokens} tokens` : 'not running';
}

export function registerStatus(program: Command): void {
  program.command('status')
    .description('Dịch vụ kyso-bridge có đang chạy không / is the kyso-bridge daemon running')
    .option('--json', 'JSON output: the daemon\'s status, or {"running": false}')
    .action(async (o: { json?: boolean }) => {
      const s = await controlCall<ControlStatus>('status', { timeoutMs: 30_000 });
      process.stdout.write(o.json ? `${JSON.stringify(s ? { running: true, ...s } : { running: false })}\n` : `${statusLine(s)}\n`);
      if (!s) process.exitCode = NOT_RUNNING_EXIT;
    });
}
