import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the generated test PKI lives (committed; regenerate with `npm run fixtures`). */
export const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'out');
