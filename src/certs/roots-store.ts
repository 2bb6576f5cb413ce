// `kyso-bridge roots import`: the user's copy of an official root, accepted only when its
// SHA-256 matches a pin. --force stores a non-matching root apart (forced/) so validation can
// flag chains that end there.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint256, parseCertificates, readCertificateFile } from './pem.js';
import { findPin, type RootPin } from './pins.js';
import { defaultRootsDir } from './paths.js';
import { x509 } from './x509.js';

export interface StoredRoot {
  fingerprint: string;
  subject: string;
  notAfter: string;
  pin?: RootPin;
  forced: boolean;
  path: string;
}

export class RootImportError extends Error {
  constructor(readonly messageVi: string, messageEn: string) {
    super(messageEn);
    this.name = 'RootImportError';
  }
}

export interface ImportOptions { dir?: string; force?: boolean }

export function importRootFile(file: string, opts: ImportOptions = {}): StoredRoot[] {
  return readCertificateFile(file).map((c) => importRoot(c, opts));
}

export function importRoot(cert: x509.X509Certificate, opts: ImportOptions = {}): StoredRoot {
  const dir = opts.dir ?? defaultRootsDir();
  const fp = fingerprint256(cert);
  const pin = findPin(fp);
  if (!pin && !opts.force) {
    throw new RootImportError(
      `Chứng thư "${cert.subject}" (SHA-256 ${fp}) không khớp CA gốc chính thức nào; không nhập. Dùng --force nếu bạn chắc chắn.`,
      `Certificate "${cert.subject}" (SHA-256 ${fp}) matches no official root pin; not imported. Use --force if you are sure.`,
    );
  }
  const target = pin ? dir : join(dir, 'forced');
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const path = join(target, `${fp}.pem`);
  writeFileSync(path, cert.toString('pem') + '\n');
  return { fingerprint: fp, subject: cert.subject, notAfter: cert.notAfter.toISOString(), pin, forced: !pin, path };
}

function readDir(dir: string, forced: boolean): StoredRoot[] {
  if (!existsSync(dir)) return [];
  const out: StoredRoot[] = [];
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.pem')) continue;
    const path = join(dir, f);
    try {
      for (const cert of parseCertificates(readFileSync(path))) {
        const fp = fingerprint256(cert);
        const pin = findPin(fp);
        // A file edited by hand so it no longer matches its pin is ignored, not trusted.
        if (!forced && !pin) continue;
        out.push({ fingerprint: fp, subject: cert.subject, notAfter: cert.notAfter.toISOString(), pin, forced, path });
      }
    } catch {
      // unreadable file: skip
    }
  }
  return out;
}

export function listRoots(dir = defaultRootsDir()): StoredRoot[] {
  return [...readDir(dir, false), ...readDir(join(dir, 'forced'), true)];
}

export function loadRootCertificates(dir = defaultRootsDir()): { cert: x509.X509Certificate; forced: boolean }[] {
  return listRoots(dir).map((r) => ({ cert: parseCertificates(readFileSync(r.path))[0], forced: r.forced }));
}
