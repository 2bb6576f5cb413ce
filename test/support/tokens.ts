// Opening the token layer over a SoftHSM store inside a test process.
import { X509Certificate, verify, constants } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log.js';
import { TokenManager, type TokenCertificate } from '../../src/pkcs11/token-manager.js';
import type { SoftHsmEnv } from '../../certs-fixtures/softhsm.js';

export async function openManager(env: SoftHsmEnv, extraModules: string[] = [], log?: Logger): Promise<TokenManager> {
  process.env.SOFTHSM2_CONF = env.conf;
  const m = new TokenManager({ modulePaths: [env.modulePath, ...extraModules], log });
  await m.open();
  return m;
}

/** The shared store's RSA (leaf-org) and EC (leaf-person) certificates, opened once per suite. */
export async function openRsaAndEc(env: SoftHsmEnv): Promise<{ manager: TokenManager; rsa: TokenCertificate; ec: TokenCertificate }> {
  const manager = await openManager(env);
  const certs = await manager.userCertificates();
  const find = (label: string) => certs.find((c) => c.object.label === label) ?? Promise.reject(new Error(`no ${label}`));
  return { manager, rsa: await find('leaf-org'), ec: await find('leaf-person') };
}

/** A logger whose every line is kept, to assert what never appears in logs. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
  return { log: createLogger({ level: 'trace', destination }), lines };
}

export type VerifyAlg = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';

/** Verifies with node:crypto against the certificate's public key. */
export function verifyWithCert(certDer: Buffer, alg: VerifyAlg, hashAlg: string, data: Buffer, sig: Buffer, saltLength?: number): boolean {
  const key = new X509Certificate(certDer).publicKey;
  const nodeHash = hashAlg.replace('-', '').toLowerCase();
  if (alg === 'ECDSA') return verify(nodeHash, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  if (alg === 'RSA-PSS') return verify(nodeHash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, sig);
  return verify(nodeHash, data, key, sig);
}
