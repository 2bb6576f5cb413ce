// Browser trust in the bridge's per-install CA (<configDir>/tls/ca.pem), so pages can reach
// wss://127.0.0.1: the user's NSS databases (~/.pki/nssdb for Chrome/Chromium, each Firefox
// profile) through certutil (libnss3-tools). Used by `kyso-bridge trust`, `install`, the first
// start under a service manager, the demo and `doctor`.
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultConfigDir } from '../paths.js';

export const TRUST_NICKNAME = 'kyso-bridge local CA';
/** Trusted to issue TLS server certificates only (not e-mail, not code signing). */
export const TRUST_FLAGS = 'C,,';

export interface TrustEnv {
  home: string;
  configDir: string;
  /** certutil binary (default from PATH). */
  certutil?: string;
}

/**
 * 'installed': the current CA is trusted; 'outdated': an older kyso-bridge CA is; 'orphan': a
 * kyso-bridge CA is trusted but there is no CA file to compare it with (never "trusted").
 */
export type DbState = 'installed' | 'outdated' | 'orphan' | 'missing' | 'no-db' | 'error';

export interface DbReport {
  kind: 'nss' | 'firefox';
  /** e.g. "Chrome/Chromium (NSS)" or "Firefox abcd.default-release". */
  label: string;
  dir: string;
  state: DbState;
  /** What install/remove did: 'added', 'replaced', 'removed', 'created-db', 'unchanged'. */
  action?: string;
  error?: string;
}

export interface TrustReport {
  caFile: string;
  caPresent: boolean;
  caSubject?: string;
  caFingerprint?: string;
  databases: DbReport[];
}

export class TrustError extends Error {
  constructor(readonly vi: string, readonly en: string) {
    super(en);
    this.name = 'TrustError';
  }
}

export function defaultTrustEnv(configDir?: string): TrustEnv {
  return { home: homedir(), configDir: configDir ? resolve(configDir) : defaultConfigDir() };
}

export function caFileOf(env: TrustEnv): string {
  return join(env.configDir, 'tls', 'ca.pem');
}

function certutil(env: TrustEnv, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(env.certutil ?? 'certutil', args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new TrustError('Không tìm thấy lệnh certutil. Hãy cài gói libnss3-tools: sudo apt install libnss3-tools',
      'certutil not found. Install libnss3-tools: sudo apt install libnss3-tools');
  }
  return { ok: r.status === 0, out: r.stdout ?? '', err: (r.stderr ?? '').trim() };
}

function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

/** Every NSS database this user's browsers read: the shared one, then each Firefox profile. */
export function nssDatabases(env: TrustEnv): { kind: DbReport['kind']; label: string; dir: string }[] {
  const out: { kind: DbReport['kind']; label: string; dir: string }[] = [
    { kind: 'nss', label: 'Chrome/Chromium (NSS ~/.pki/nssdb)', dir: join(env.home, '.pki', 'nssdb') },
  ];
  for (const base of [join(env.home, '.mozilla', 'firefox'), join(env.home, 'snap', 'firefox', 'common', '.mozilla', 'firefox')]) {
    if (!isDir(base)) continue;
    for (const name of readdirSync(base).sort()) {
      if (/\.default/.test(name) && isDir(join(base, name))) out.push({ kind: 'firefox', label: `Firefox ${name}`, dir: join(base, name) });
    }
  }
  return out;
}

const hasDb = (dir: string) => existsSync(join(dir, 'cert9.db'));

function derOfPem(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1].replace(/\s/g, ''), 'base64'));
}

function readCa(env: TrustEnv): { der: Buffer; subject: string; fingerprint: string } | undefined {
  const file = caFileOf(env);
  if (!existsSync(file)) return undefined;
  const der = derOfPem(readFileSync(file, 'utf8'))[0];
  if (!der) return undefined;
  const cert = new X509Certificate(der);
  return { der, subject: cert.subject.replace(/\n/g, ', '), fingerprint: cert.fingerprint256 };
}

function dbState(env: TrustEnv, dir: string, ca: Buffer | undefined): DbState {
  if (!hasDb(dir)) return 'no-db';
  const r = certutil(env, ['-L', '-d', `sql:${dir}`, '-n', TRUST_NICKNAME, '-a']);
  if (!r.ok) return 'missing';
  if (!ca) return 'orphan';
  return derOfPem(r.out).some((d) => d.equals(ca)) ? 'installed' : 'outdated';
}

function removeAll(env: TrustEnv, dir: string): number {
  let n = 0;
  // Several entries can share the nickname after CA renewals; delete until none is left.
  while (n < 20 && certutil(env, ['-D', '-d', `sql:${dir}`, '-n', TRUST_NICKNAME]).ok) n++;
  return n;
}

function baseReport(env: TrustEnv): TrustReport {
  const ca = readCa(env);
  return {
    caFile: caFileOf(env), caPresent: Boolean(ca),
    ...(ca ? { caSubject: ca.subject, caFingerprint: ca.fingerprint } : {}),
    databases: [],
  };
}

export function trustStatus(env: TrustEnv): TrustReport {
  const report = baseReport(env);
  const ca = readCa(env);
  for (const db of nssDatabases(env)) {
    try {
      report.databases.push({ ...db, state: dbState(env, db.dir, ca?.der) });
    } catch (e) {
      if (e instanceof TrustError) throw e;
      report.databases.push({ ...db, state: 'error', error: String(e) });
    }
  }
  return report;
}

export function trustInstall(env: TrustEnv): TrustReport {
  const ca = readCa(env);
  if (!ca) {
    throw new TrustError(`Chưa có chứng thư CA của kyso-bridge tại ${caFileOf(env)}. Hãy khởi động kyso-bridge một lần để tạo (hoặc chạy "kyso-bridge install").`,
      `No kyso-bridge CA at ${caFileOf(env)}. Start kyso-bridge once to create it (or run "kyso-bridge install").`);
  }
  const report = baseReport(env);
  for (const db of nssDatabases(env)) {
    let action = '';
    if (!hasDb(db.dir)) {
      // Chrome creates ~/.pki/nssdb lazily; a never-started Firefox profile has none yet either.
      mkdirSync(db.dir, { recursive: true, mode: 0o700 });
      const created = certutil(env, ['-N', '-d', `sql:${db.dir}`, '--empty-password']);
      if (!created.ok) {
        report.databases.push({ ...db, state: 'error', error: created.err });
        continue;
      }
      action = 'created-db,';
    }
    const before = dbState(env, db.dir, ca.der);
    if (before === 'installed') {
      report.databases.push({ ...db, state: 'installed', action: `${action}unchanged` });
      continue;
    }
    if (before === 'outdated') removeAll(env, db.dir);
    const added = certutil(env, ['-A', '-d', `sql:${db.dir}`, '-n', TRUST_NICKNAME, '-t', TRUST_FLAGS, '-i', caFileOf(env)]);
    report.databases.push(added.ok
      ? { ...db, state: dbState(env, db.dir, ca.der), action: `${action}${before === 'outdated' ? 'replaced' : 'added'}` }
      : { ...db, state: 'error', error: added.err });
  }
  return report;
}

export function trustRemove(env: TrustEnv): TrustReport {
  const report = baseReport(env);
  for (const db of nssDatabases(env)) {
    if (!hasDb(db.dir)) {
      report.databases.push({ ...db, state: 'no-db', action: 'unchanged' });
      continue;
    }
    const n = removeAll(env, db.dir);
    report.databases.push({ ...db, state: dbState(env, db.dir, undefined), action: n > 0 ? 'removed' : 'unchanged' });
  }
  return report;
}
