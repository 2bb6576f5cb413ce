#!/usr/bin/env node
// The kyso-bridge command line. Commands register themselves; errors print in Vietnamese first.
import { Command } from 'commander';
import { isKysoError } from '../src/errors.js';
import { registerCerts } from '../src/cli/certs.js';
import { registerTokens } from '../src/cli/tokens.js';
import { registerServe } from '../src/cli/serve.js';
import { registerOrigins } from '../src/cli/origins.js';
import { registerVerifyCert } from '../src/cli/verify-cert.js';
import { registerRoots } from '../src/cli/roots.js';
import { registerTrust } from '../src/cli/trust.js';
import { registerDoctor } from '../src/cli/doctor.js';
import { VERSION } from '../src/version.js';

const program = new Command('kyso-bridge')
  .description('Cầu nối USB ký số cho cổng dịch vụ công / USB signing-token bridge for public-service portals')
  .version(VERSION);
registerTokens(program);
registerCerts(program);
registerServe(program);
registerOrigins(program);
registerVerifyCert(program);
registerRoots(program);
registerTrust(program);
registerDoctor(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isKysoError(e)) {
    process.stderr.write(`${e.localized('vi')}\n${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
});
