#!/usr/bin/env node
// The kyso-bridge command line. Commands register themselves; errors print in Vietnamese first.
// Only the command being run is loaded (the daemon starts faster and smaller); help loads all.
import { Command } from 'commander';
import { isKysoError } from '../src/errors.js';
import { VERSION } from '../src/version.js';

type Register = (program: Command) => void;
const COMMANDS: Record<string, () => Promise<Register>> = {
  tokens: async () => (await import('../src/cli/tokens.js')).registerTokens,
  certs: async () => (await import('../src/cli/certs.js')).registerCerts,
  serve: async () => (await import('../src/cli/serve.js')).registerServe,
  origins: async () => (await import('../src/cli/origins.js')).registerOrigins,
  'verify-cert': async () => (await import('../src/cli/verify-cert.js')).registerVerifyCert,
  verify: async () => (await import('../src/cli/verify.js')).registerVerify,
  sign: async () => (await import('../src/cli/sign.js')).registerSign,
  roots: async () => (await import('../src/cli/roots.js')).registerRoots,
  trust: async () => (await import('../src/cli/trust.js')).registerTrust,
  doctor: async () => (await import('../src/cli/doctor.js')).registerDoctor,
  status: async () => (await import('../src/cli/status.js')).registerStatus,
  install: async () => (await import('../src/cli/install.js')).registerInstall,
  uninstall: async () => (await import('../src/cli/install.js')).registerInstall, // one module registers both
  verifier: async () => (await import('../src/cli/verifier.js')).registerVerifier,
};

async function main(): Promise<void> {
  const program = new Command('kyso-bridge')
    .description('Cầu nối USB ký số cho cổng dịch vụ công / USB signing-token bridge for public-service portals')
    .version(VERSION);
  const name = process.argv[2];
  const chosen = name && Object.prototype.hasOwnProperty.call(COMMANDS, name) ? [COMMANDS[name]] : Object.values(COMMANDS);
  for (const register of new Set(await Promise.all(chosen.map((load) => load())))) register(program);
  await program.parseAsync(process.argv);
}

main().catch((e: unknown) => {
  if (isKysoError(e)) {
    process.stderr.write(`${e.localized('vi')}\n${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
});
