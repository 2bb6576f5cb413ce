// Makes `npx kyso-bridge` work inside a clone right after `npm ci`: npm links the bins of
// dependencies, not the project's own, so link it into node_modules/.bin here.
import { chmodSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist/bin/kyso-bridge.js');
const link = join(root, 'node_modules/.bin/kyso-bridge');
mkdirSync(dirname(link), { recursive: true });
chmodSync(target, 0o755);
rmSync(link, { force: true });
symlinkSync(relative(dirname(link), target), link);
