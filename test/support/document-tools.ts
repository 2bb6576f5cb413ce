// The independent verifiers the document tests check every output with (openssl cms/ts, xmlsec1,
// pdfsig against an NSS database holding the test root, qpdf), and the signers they sign with:
// fixture key files and SoftHSM keys through the token layer, RSA and EC each.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DigestSigner } from '../../src/documents/signer.js';
import type { TokenManager } from '../../src/pkcs11/token-manager.js';
import { fixtureKeySigner, fixturePath, tokenSigner } from './digest-signers.js';
import { sharedSoftHsm, tokenSpec } from './softhsm.js';
import { openRsaAndEc } from './tokens.js';

export const ROOT = fixturePath('root-national');
export const INTERMEDIATES = [fixturePath('ca-rsa'), fixturePath('ca-ec')];

export interface Run { status: number | null; out: string }

export function run(cmd: string, args: string[], input?: Buffer): Run {
  const r = spawnSync(cmd, args, { input, encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export class Workdir {
  readonly dir = mkdtempSync(join(tmpdir(), 'kyso-docs-'));
  write(name: string, data: Buffer | string): string {
    const p = join(this.dir, name);
    writeFileSync(p, data);
    return p;
  }
  cleanup(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

export function opensslCmsVerify(cms: string, content?: string): Run {
  return run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cms, ...(content ? ['-content', content] : []), '-CAfile', ROOT, '-purpose', 'any', '-out', '/dev/null']);
}

export function opensslTsVerify(w: Workdir, token: Buffer, stampedData: Buffer): Run {
  const chain = w.write('tsa-chain.pem', Buffer.concat([fixturePath('tsa-ca-rsa'), fixturePath('ca-rsa')].map((p) => readFileSync(p))));
  return run('openssl', ['ts', '-verify', '-token_in', '-in', w.write('token.der', token), '-data', w.write('stamped.bin', stampedData), '-CAfile', ROOT, '-untrusted', chain]);
}

export function xmlsecVerify(file: string, idAttrs: string[]): Run {
  return run('xmlsec1', ['--verify', ...idAttrs.flatMap((a) => [`--id-attr:${a.split(':')[0]}`, a.split(':')[1]]), '--trusted-pem', ROOT, ...INTERMEDIATES.flatMap((p) => ['--untrusted-pem', p]), file]);
}

/** An NSS database trusting the test root; signer certificates imported untrusted (poppler quirk). */
export function nssDb(w: Workdir, signers: string[]): string {
  const db = `sql:${w.dir}/nss`;
  run('mkdir', ['-p', `${w.dir}/nss`]);
  run('certutil', ['-N', '-d', db, '--empty-password']);
  run('certutil', ['-A', '-d', db, '-n', 'kyso-test-root', '-t', 'CT,C,C', '-i', ROOT]);
  for (const s of signers) run('certutil', ['-A', '-d', db, '-n', s, '-t', ',,', '-i', fixturePath(s)]);
  return db;
}

/** Asynchronous: pdfsig asks the fixture OCSP server, which runs in this very process. */
export async function pdfsig(db: string, file: string): Promise<{ signatures: number; valid: number; trusted: number; out: string }> {
  const r = await new Promise<Run>((resolve) => {
    execFile('pdfsig', ['-nssdir', db, file], { encoding: 'latin1', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
  const count = (s: string) => r.out.split(s).length - 1;
  return { signatures: (r.out.match(/^Signature #\d+:/gm) ?? []).length, valid: count('Signature is Valid.'), trusted: count('Certificate is Trusted.'), out: r.out };
}

/** qpdf --check: 0 clean, 3 warnings only. */
export function qpdfCheck(file: string): Run {
  return run('qpdf', ['--check', file]);
}

/** The order openSigners() returns them in, for test names. */
export const SIGNER_NAMES = ['key file RSA', 'key file EC', 'SoftHSM RSA', 'SoftHSM EC'] as const;

export interface NamedSigner { name: string; leaf: string; signer: DigestSigner & { calls: number } }

/** Fixture-key and SoftHSM signers, RSA (leaf-org) and EC (leaf-person). */
export async function openSigners(): Promise<{ signers: NamedSigner[]; close(): Promise<void> }> {
  const { manager, rsa, ec } = await openRsaAndEc(sharedSoftHsm());
  await rsa.token.login(tokenSpec('KYSO DOANH NGHIEP').userPin);
  await ec.token.login(tokenSpec('KYSO CONG DAN').userPin);
  const signers: NamedSigner[] = [
    { name: 'key file RSA', leaf: 'leaf-org', signer: fixtureKeySigner('leaf-org') },
    { name: 'key file EC', leaf: 'leaf-person', signer: fixtureKeySigner('leaf-person') },
    { name: 'SoftHSM RSA', leaf: 'leaf-org', signer: tokenSigner(rsa, 'leaf-org') },
    { name: 'SoftHSM EC', leaf: 'leaf-person', signer: tokenSigner(ec, 'leaf-person') },
  ];
  return {
    signers,
    async close(this: void) {
      await rsa.token.logout();
      await ec.token.logout();
      (manager as TokenManager).close();
    },
  };
}
