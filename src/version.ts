import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Read from package.json so the CLI, the API and the SDK report one version; found by walking up
// because this file runs both from src/ (tsx, tests) and from dist/src/ (the built CLI).
function findVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kyso-bridge' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

export const VERSION: string = findVersion();
