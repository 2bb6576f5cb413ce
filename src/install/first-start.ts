// The per-user first-start steps, run by `kyso-bridge install` and by every start under a service
// manager (`serve --first-start`), without a terminal: the loopback TLS material, then the
// browsers' trust in its CA (Chromium/Chrome NSS database created if the browser has not made it
// yet, and each Firefox profile). Trust is installed once per CA: a user who ran `trust remove`
// is not overridden at the next login; a renewed CA is installed again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTlsMaterial } from '../transport/tls.js';
import { TrustError, trustInstall, type TrustReport } from '../trust/nss.js';

export interface FirstStartOptions {
  configDir: string;
  home: string;
  /** Install trust even if this CA was handled before (`kyso-bridge install`). */
  force?: boolean;
}

export interface FirstStartResult {
  caFile: string;
  /** New TLS material was made now. */
  tlsCreated: boolean;
  /** 'installed' now, 'already' done for this CA earlier, or 'failed' (certutil missing…). */
  trust: 'installed' | 'already' | 'failed';
  report?: TrustReport;
  error?: { vi: string; en: string };
}

const RECORD = 'first-start.json';

interface Record { caFingerprint: string; trustedAt: string }

function readRecord(configDir: string): Record | undefined {
  const file = join(configDir, RECORD);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record;
  } catch {
    return undefined; // a broken record only means trust is installed again
  }
}

export async function runFirstStart(o: FirstStartOptions): Promise<FirstStartResult> {
  const tls = await ensureTlsMaterial(join(o.configDir, 'tls'));
  const { X509Certificate } = await import('node:crypto');
  const fingerprint = new X509Certificate(tls.caPem).fingerprint256;
  const base = { caFile: tls.caFile, tlsCreated: tls.created };
  if (!o.force && readRecord(o.configDir)?.caFingerprint === fingerprint) return { ...base, trust: 'already' };
  try {
    const report = trustInstall({ home: o.home, configDir: o.configDir });
    const ok = report.databases.length > 0 && report.databases.every((d) => d.state === 'installed');
    if (ok) {
      writeFileSync(join(o.configDir, RECORD), `${JSON.stringify({ caFingerprint: fingerprint, trustedAt: new Date().toISOString() } satisfies Record)}\n`, { mode: 0o600 });
    }
    return { ...base, trust: ok ? 'installed' : 'failed', report };
  } catch (e) {
    if (!(e instanceof TrustError)) throw e;
    return { ...base, trust: 'failed', error: { vi: e.vi, en: e.en } };
  }
}
