#!/usr/bin/env node
// Builds the single-file browser SDK: dist/kyso-bridge-client.js exposes window.KysoBridge for
// pages that include it with a plain <script>. Prints the raw and gzipped size.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'kyso-bridge-client.js');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

await build({
  entryPoints: [join(root, 'src', 'client', 'index.ts')],
  outfile,
  bundle: true,
  format: 'iife',
  globalName: 'KysoBridge',
  platform: 'browser',
  target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  banner: { js: `/* kyso-bridge client ${version} | Apache-2.0 */` },
  logLevel: 'warning',
});

const code = readFileSync(outfile);
console.log(`dist/kyso-bridge-client.js: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} bytes gzipped`);
