// `kyso-bridge serve`: the daemon portals talk to.
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultConfigFile } from '../config/config.js';
import { runFirstStart } from '../install/first-start.js';
import { createLogger, type Logger } from '../log.js';
import { startBridge } from '../daemon/assemble.js';
import { DEFAULT_PORT } from '../transport/limits.js';
import { collect } from './collect.js';
import { COMPAT_NAMES, type CompatName } from '../daemon/compat.js';

/** `vgca=18987` → { vgca: 18987 }. */
function parseCompatPorts(list: string[]): Partial<Record<CompatName, number>> {
  const out: Partial<Record<CompatName, number>> = {};
  for (const item of list) {
    const m = /^(\w+)=(\d{1,5})$/.exec(item.trim());
    if (!m || !(COMPAT_NAMES as readonly string[]).includes(m[1]!) || Number(m[2]) > 65535) throw new Error(`--compat-port ${item}: expected NAME=PORT with NAME one of ${COMPAT_NAMES.join(', ')}`);
    out[m[1] as CompatName] = Number(m[2]);
  }
  return out;
}

interface ServeOptions {
  port?: string; host?: string; tls: boolean; config?: string; module: string[]; pinentry?: string;
  allowOrigin: string[]; allowRawSigning: string[]; p12: string[]; tsa: string[]; allowLocalPrograms?: boolean; logLevel?: string; trustAnchor: string[];
  revocation?: 'require' | 'prefer' | 'off'; lang?: 'vi' | 'en'; pinCache?: string; firstStart?: boolean;
  compat?: string | boolean; compatPort: string[];
}

/** What a login item runs first, without a terminal: TLS material and browser trust (logged, never fatal). */
async function firstStart(configFile: string | undefined, log: Logger): Promise<void> {
  try {
    const r = await runFirstStart({ configDir: dirname(resolve(configFile ?? defaultConfigFile())), home: homedir() });
    const level = r.trust === 'failed' ? 'warn' : 'info';
    log[level]({ caFile: r.caFile, tlsCreated: r.tlsCreated, trust: r.trust, databases: r.report?.databases.map((d) => `${d.label}: ${d.state}`), error: r.error?.en }, 'first-start steps');
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'first-start steps failed');
  }
}

export function registerServe(program: Command): void {
  program.command('serve')
    .description('Run the bridge daemon on loopback / Chạy dịch vụ cầu nối trên máy')
    .option('--port <n>', `port (default ${DEFAULT_PORT})`)
    .option('--host <addr>', 'loopback address: 127.0.0.1 or ::1', '127.0.0.1')
    .option('--no-tls', 'plain ws:// instead of wss:// (local development)')
    .option('--config <file>', 'config file (default ~/.config/kyso-bridge/config.json)')
    .option('--module <path>', 'PKCS#11 module (repeatable)', collect, [])
    .option('--pinentry <program>', 'pinentry program for consent and PIN dialogs')
    .option('--p12 <file>', 'certificate file .p12/.pfx served like a token; its password is asked in the dialog (repeatable)', collect, [])
    .option('--tsa <url>', 'RFC 3161 time-stamping service for document signing, levels T/LT (repeatable; the first is the default)', collect, [])
    .option('--allow-origin <origin>', 'origin given login + document signing without a dialog (repeatable; http only this way)', collect, [])
    .option('--allow-raw-signing <origin>', 'origin also allowed to sign hashes it shows no document for, without the warning dialog (repeatable)', collect, [])
    .option('--allow-local-programs', 'accept clients that send no Origin (local programs)')
    .option('--trust-anchor <file>', 'extra trusted root (repeatable)', collect, [])
    .option('--revocation <policy>', 'require | prefer | off')
    .option('--lang <lang>', 'vi | en')
    .option('--pin-cache <seconds>', 'keep a token logged in for the same site this long (0 = never)')
    .option('--log-level <level>', 'trace | debug | info | warn | error', 'info')
    .option('--compat <list>', 'vendor-compatible endpoints to open: vgca,vnpt,bkav (default: all whose port is free)')
    .option('--no-compat', 'open no vendor-compatible endpoint')
    .option('--compat-port <name=port>', 'another port for a compatibility endpoint, e.g. vgca=18987 (repeatable; 0 = any free port)', collect, [])
    .option('--first-start', 'first create the TLS material and make the browsers trust it (what the login service runs)')
    .action(async (o: ServeOptions) => {
      const log = createLogger({ level: o.logLevel });
      if (o.firstStart && o.tls) await firstStart(o.config, log);
      const bridge = await startBridge({
        port: o.port !== undefined ? Number(o.port) : undefined, host: o.host, tls: o.tls, configFile: o.config,
        modules: o.module, p12Files: o.p12, tsaUrls: o.tsa, pinentry: o.pinentry, allowOrigins: o.allowOrigin, rawSigningOrigins: o.allowRawSigning,
        allowLocalPrograms: o.allowLocalPrograms,
        trustAnchorFiles: o.trustAnchor, revocation: o.revocation, lang: o.lang,
        pinCacheSeconds: o.pinCache !== undefined ? Number(o.pinCache) : undefined, log,
        compat: o.compat, compatPorts: parseCompatPorts(o.compatPort),
      });
      // One write: the first line is what scripts wait for, then one line per compatibility endpoint.
      process.stdout.write([`kyso-bridge: ${bridge.url}`, ...bridge.compat.map((c) => c.url
        ? `kyso-bridge compat ${c.name}: ${c.url}`
        : `kyso-bridge compat ${c.name}: port ${c.port} taken${c.skipped?.holder ? ` by ${c.skipped.holder}` : ''}, skipped`)].join('\n') + '\n');
      const stop = (signal: string) => {
        log.info({ signal }, 'stopping');
        void bridge.close().then(() => process.exit(0));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
