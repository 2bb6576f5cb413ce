// Runs the demo portal: tsx src/portal/demo/main.ts [--port 8080] [--daemon wss://127.0.0.1:15976/v1]
//   [--anchor file.pem]… [--revocation require|prefer|off] [--db demo.db]
// Without --anchor it trusts the test PKI's roots (certs-fixtures/out), for local trials only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from './assets.js';
import { startDemoPortal } from './server.js';
import type { RevocationMode } from '../validate.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' }, host: { type: 'string', default: '127.0.0.1' },
    daemon: { type: 'string' }, anchor: { type: 'string', multiple: true },
    revocation: { type: 'string', default: 'prefer' }, db: { type: 'string' },
  },
});
const anchors = values.anchor?.length ? values.anchor
  : ['root-national.pem', 'root-gov.pem'].map((f) => join(packageRoot(), 'certs-fixtures', 'out', f));
const portal = await startDemoPortal({
  port: Number(values.port), host: values.host,
  ...(values.daemon ? { daemonUrl: values.daemon } : {}),
  trustAnchors: anchors.map((f) => readFileSync(f, 'utf8')),
  revocation: values.revocation as RevocationMode,
  ...(values.db ? { dbFile: values.db } : {}),
});
console.log(`Cổng thử nghiệm / demo portal: ${portal.url}  (cho phép origin này trong kyso-bridge / allow this origin in kyso-bridge)`);
process.on('SIGINT', () => void portal.close().then(() => process.exit(0)));
