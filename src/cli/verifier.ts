// `kyso-bridge verifier serve`: the HTTP verifier service for portals in any language.
// Prints "kyso-bridge verifier: http://HOST:PORT" once it listens; SIGTERM/SIGINT drain and stop.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createLogger } from '../log.js';
import { normalizeOrigin } from '../portal/token.js';
import type { RevocationMode } from '../portal/validate.js';
import { DEFAULT_VERIFIER_HOST, DEFAULT_VERIFIER_PORT, startVerifierService } from '../verifier/server.js';
import { collect } from './common.js';

interface VerifierServeOptions {
  store: string; origin: string; trustAnchor: string[]; revocation: string; challengeTtl: string; listen: string; logLevel: string; storeTimeout: string;
}

/** "127.0.0.1:15980", "[::1]:15980", ":15980" (loopback), "15980". */
export function parseListen(value: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value) ?? /^()()(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  return { host: m[1] || m[2] || DEFAULT_VERIFIER_HOST, port };
}

function problems(o: VerifierServeOptions): string[] {
  const out: string[] = [];
  if (!/^(memory|sqlite|postgres|postgresql|redis|rediss|redis\+unix):/i.test(o.store)) {
    out.push('--store: memory:, sqlite:/path/file.db, postgres://… or redis://…');
  }
  if (!normalizeOrigin(o.origin)) out.push(`--origin: not an origin (https://portal.example): ${o.origin}`);
  if (!['require', 'prefer', 'off'].includes(o.revocation)) out.push('--revocation: require | prefer | off');
  const ttl = Number(o.challengeTtl);
  if (!Number.isInteger(ttl) || ttl < 10 || ttl > 3600) out.push('--challenge-ttl: whole seconds, 10–3600');
  const timeout = Number(o.storeTimeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) out.push('--store-timeout: seconds, up to 600');
  if (!parseListen(o.listen)) out.push(`--listen: HOST:PORT, e.g. ${DEFAULT_VERIFIER_HOST}:${DEFAULT_VERIFIER_PORT}`);
  return out;
}

export function registerVerifier(program: Command): void {
  const verifier = program.command('verifier').description('Proof verifier service for portals / Dịch vụ xác minh cho cổng dịch vụ công');
  verifier.command('serve')
    .description('Serve POST /v1/challenges and /v1/verify over HTTP JSON')
    .requiredOption('--store <url>', 'challenge store: sqlite:/path.db | postgres://… | redis://… | memory:')
    .requiredOption('--origin <origin>', "the portal's origin, e.g. https://dichvucong.example.gov.vn")
    .option('--trust-anchor <file>', 'extra trusted root, PEM or DER (repeatable)', collect, [])
    .option('--revocation <policy>', 'require | prefer | off', 'prefer')
    .option('--challenge-ttl <seconds>', 'challenge lifetime', '300')
    .option('--listen <host:port>', 'address to listen on', `${DEFAULT_VERIFIER_HOST}:${DEFAULT_VERIFIER_PORT}`)
    .option('--store-timeout <seconds>', 'a store call taking longer answers 503', '5')
    .option('--log-level <level>', 'trace | debug | info | warn | error', 'info')
    .action(async (o: VerifierServeOptions, cmd: Command) => {
      const bad = problems(o);
      if (bad.length) cmd.error(`Tham số không hợp lệ / invalid options:\n  ${bad.join('\n  ')}`, { exitCode: 2 });
      const log = createLogger({ level: o.logLevel });
      const { host, port } = parseListen(o.listen)!;
      if (!['127.0.0.1', '::1', 'localhost'].includes(host)) {
        log.warn({ host }, 'listening beyond loopback: this service has no authentication of its own; put it behind the portal\'s TLS and access control');
      }
      const service = await startVerifierService({
        store: o.store, storeOptions: { timeoutMs: Number(o.storeTimeout) * 1000 }, origin: o.origin, trustAnchors: o.trustAnchor.map((f) => readFileSync(f)),
        revocation: o.revocation as RevocationMode, challengeTtlMs: Number(o.challengeTtl) * 1000, host, port, log,
      });
      // The store URL may carry a password: only its scheme is logged.
      log.info({ url: service.url, store: o.store.split(':')[0], origin: o.origin, revocation: o.revocation }, 'verifier listening');
      process.stdout.write(`kyso-bridge verifier: ${service.url}\n`);
      const stop = (signal: string) => {
        log.info({ signal }, 'stopping');
        void service.close().then(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
