// Shared pieces of the compatibility suites: the civil-servant token (one RSA certificate under
// the government root, so no chooser), independent verifiers, and the daemon's CA for wss.
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workdir, run, type Run } from './document-tools.js';
import { fixturePath } from './digest-signers.js';
import { tokenSpec } from './softhsm.js';
import type { TestDaemon } from './daemon.js';

export const GOV = tokenSpec('KYSO CO QUAN');
export const GOV_PIN = GOV.userPin;
export const LEAF = new X509Certificate(readFileSync(fixturePath('leaf-civil-servant')));
export const ROOT_GOV = fixturePath('root-gov');
export const CA_GOV = fixturePath('ca-gov');
export const DAEMON_TRUST = ['--trust-anchor', ROOT_GOV, '--revocation', 'off'];

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest();

export function daemonCa(d: TestDaemon): string {
  return readFileSync(join(d.configDir, 'tls', 'ca.pem'), 'utf8');
}

/** openssl cms -verify against the government root; `content` for detached CMS. Output = the signed content. */
export function cmsVerify(w: Workdir, cms: Buffer, content?: Buffer): Run {
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', w.write(`cms-${Date.now()}-${Math.random()}.der`, cms), '-CAfile', ROOT_GOV, '-purpose', 'any'];
  if (content) args.push('-content', w.write(`content-${Math.random()}.bin`, content));
  return run('openssl', args);
}

/** SAMPLE_XML's signed element is `<DuLieu Id="data">`: xmlsec1 must be told that Id is an ID. */
export function xmlsecVerifyGov(w: Workdir, xml: Buffer): Run {
  return run('xmlsec1', ['--verify', '--id-attr:Id', 'DuLieu', '--trusted-pem', ROOT_GOV, '--untrusted-pem', CA_GOV, w.write(`signed-${Math.random()}.xml`, xml)]);
}

export const SAMPLE_XML = '<?xml version="1.0" encoding="UTF-8"?><HoSo><DuLieu Id="data">Đơn đề nghị cấp phép *số 12*</DuLieu><ChuKy/></HoSo>';

/** Whether a dialog text of the transcript named the origin. */
export function dialogNamed(d: TestDaemon, origin: string): boolean {
  return d.pinentry.transcript().some((t) => t.cmd === 'SETDESC' && t.text.includes(new URL(origin).hostname));
}
