// Static files of the demo portal: pages from src/portal/demo/public (tsc does not copy them,
// so they are found from the package root), and the single-file SDK the pages include.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'kyso-bridge') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('kyso-bridge package root not found');
    dir = up;
  }
}

export const PUBLIC_DIR = join(packageRoot(), 'src', 'portal', 'demo', 'public');

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml',
};

/** A file of the public dir by plain name (no paths: nothing outside it can be asked for). */
export function publicFile(name: string): { body: Buffer; type: string } | undefined {
  const m = /^[a-z0-9-]+\.(html|js|css|svg)$/.exec(name);
  if (!m) return undefined;
  const file = join(PUBLIC_DIR, name);
  return existsSync(file) ? { body: readFileSync(file), type: TYPES[m[1]] } : undefined;
}

let bundle: Promise<Buffer> | undefined;

/**
 * The browser SDK as one script (window.KysoBridge): built from source with esbuild when it is
 * available (always current), else dist/kyso-bridge-client.js from `node scripts/build-client.mjs`.
 */
export function clientBundle(): Promise<Buffer> {
  bundle ??= (async () => {
    const root = packageRoot();
    const entry = join(root, 'src', 'client', 'index.ts');
    try {
      const name = 'esbuild'; // a dev tool: not a dependency of the package, so not typed here
      const esbuild = (await import(name)) as { build(o: object): Promise<{ outputFiles: { contents: Uint8Array }[] }> };
      const out = await esbuild.build({
        entryPoints: [entry], bundle: true, format: 'iife', globalName: 'KysoBridge', platform: 'browser',
        target: ['es2020'], write: false, logLevel: 'silent',
      });
      return Buffer.from(out.outputFiles[0].contents);
    } catch {
      const built = join(root, 'dist', 'kyso-bridge-client.js');
      if (existsSync(built)) return readFileSync(built);
      throw new Error('SDK bundle missing: run `node scripts/build-client.mjs`');
    }
  })();
  bundle.catch(() => { bundle = undefined; });
  return bundle;
}
