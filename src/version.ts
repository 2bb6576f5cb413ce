import { createRequire } from 'node:module';

// Read from package.json so the CLI, the API and the SDK report one version.
const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
export const VERSION: string = pkg.version;
