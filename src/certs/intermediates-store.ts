// The local intermediates store: a directory of CA certificates (PEM, DER, .p7c) that chain
// building may use, for CAs whose tokens carry no CA objects and whose AIA is unreachable.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificates } from './pem.js';
import { defaultIntermediatesDir } from './paths.js';
import type { x509 } from './x509.js';

const EXTENSIONS = /\.(pem|crt|cer|der|p7b|p7c)$/i;
const memo = new Map<string, { stamp: string; certs: x509.X509Certificate[] }>();

/** Every parseable certificate in the directory; re-read only when the listing or mtimes change. */
export function loadIntermediates(dir = defaultIntermediatesDir()): x509.X509Certificate[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => EXTENSIONS.test(f)).sort();
  const stamp = files.map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`).join('|');
  const hit = memo.get(dir);
  if (hit && hit.stamp === stamp) return hit.certs;
  const certs: x509.X509Certificate[] = [];
  for (const f of files) {
    try {
      certs.push(...parseCertificates(readFileSync(join(dir, f))));
    } catch {
      // not a certificate: ignored
    }
  }
  memo.set(dir, { stamp, certs });
  return certs;
}
