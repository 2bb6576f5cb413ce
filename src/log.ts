// pino logger with redaction: PINs, nonces and signatures never reach a log line, whatever
// object a caller hands in. Tests grep every line for the PINs they typed.
import pino, { type Logger, type DestinationStream } from 'pino';

export const REDACT_PATHS = [
  'pin', '*.pin', 'params.pin', 'newPin', 'soPin', 'nonce', '*.nonce', 'params.nonce',
  'hash', 'params.hash', 'signature', '*.signature', 'result.signature', 'password', '*.password', 'secret', '*.secret',
];

export type { Logger };

export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino({
    name: 'kyso-bridge',
    level: opts.level ?? process.env.KYSO_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
  }, opts.destination ?? pino.destination(2));
}

/** A logger that drops everything (libraries default to it). */
export const silentLogger: Logger = pino({ level: 'silent' });
