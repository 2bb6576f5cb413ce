// Single-certificate checks that need no network: dates, key usage for a purpose,
// CA constraints. Each returns a failure (code + reason) or nothing.
import type { Reason, StatusCode } from '../i18n/table-validation.js';
import { x509 } from './x509.js';

export type Purpose = 'sign' | 'auth';
export interface Failure { code: StatusCode; reason?: Reason }

/** Tolerated difference between our clock and the CA's (tokens are often used on badly-set PCs). */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;
export const EXPIRING_SOON_DAYS = 30;
const DAY = 86_400_000;
const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const EKU_ANY = '2.5.29.37.0';

export function displayName(cert: x509.X509Certificate): string {
  return cert.subjectName.getField('CN')[0] ?? cert.subjectName.getField('O')[0] ?? cert.subject;
}

export function checkDates(cert: x509.X509Certificate, at: Date, skewMs: number, asCa = false): Failure | undefined {
  const t = at.getTime();
  if (t + skewMs < cert.notBefore.getTime()) {
    return asCa ? { code: 'NOT_YET_VALID', reason: { key: 'CHAIN_NOT_YET_VALID', arg: displayName(cert) } } : { code: 'NOT_YET_VALID' };
  }
  if (t - skewMs > cert.notAfter.getTime()) {
    return asCa ? { code: 'EXPIRED', reason: { key: 'CHAIN_EXPIRED', arg: displayName(cert) } } : { code: 'EXPIRED' };
  }
  return undefined;
}

/** Whole days left when the certificate ends within the warning window, else undefined. */
export function daysLeft(cert: x509.X509Certificate, at: Date): number | undefined {
  const ms = cert.notAfter.getTime() - at.getTime();
  return ms >= 0 && ms <= EXPIRING_SOON_DAYS * DAY ? Math.floor(ms / DAY) : undefined;
}

export function isCa(cert: x509.X509Certificate): boolean {
  return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function has(usages: number, flag: x509.KeyUsageFlags): boolean {
  return (usages & flag) !== 0;
}

/**
 * Key usage for the purpose. sign: digitalSignature or nonRepudiation. auth (login proof):
 * digitalSignature, and EKU clientAuth when an EKU is present. Absent KeyUsage allows all.
 * A CA certificate checked without a purpose needs keyCertSign.
 */
export function checkKeyUsage(cert: x509.X509Certificate, purpose: Purpose | 'ca'): Failure | undefined {
  const ku = cert.getExtension(x509.KeyUsagesExtension)?.usages;
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages.map(String);
  if (purpose === 'ca') {
    return ku === undefined || has(ku, x509.KeyUsageFlags.keyCertSign) ? undefined : { code: 'KEY_USAGE', reason: { key: 'PURPOSE_CA' } };
  }
  if (purpose === 'sign') {
    const ok = ku === undefined || has(ku, x509.KeyUsageFlags.digitalSignature) || has(ku, x509.KeyUsageFlags.nonRepudiation);
    return ok ? undefined : { code: 'KEY_USAGE', reason: { key: 'PURPOSE_SIGN' } };
  }
  const kuOk = ku === undefined || has(ku, x509.KeyUsageFlags.digitalSignature);
  const ekuOk = eku === undefined || eku.includes(EKU_CLIENT_AUTH) || eku.includes(EKU_ANY);
  return kuOk && ekuOk ? undefined : { code: 'KEY_USAGE', reason: { key: 'PURPOSE_AUTH' } };
}

/**
 * Constraints on the CA at `index` of a leaf-first chain: must be a CA allowed to sign
 * certificates, and its pathLenConstraint must cover the non-self-issued CAs below it.
 */
export function checkCaConstraints(chain: x509.X509Certificate[], index: number): Failure | undefined {
  const ca = chain[index];
  const bc = ca.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) return { code: 'UNTRUSTED', reason: { key: 'NOT_A_CA', arg: displayName(ca) } };
  const ku = ca.getExtension(x509.KeyUsagesExtension)?.usages;
  if (ku !== undefined && !has(ku, x509.KeyUsageFlags.keyCertSign)) return { code: 'UNTRUSTED', reason: { key: 'NOT_A_CA', arg: displayName(ca) } };
  if (bc.pathLength !== undefined) {
    const below = chain.slice(1, index).filter((c) => c.subject !== c.issuer).length;
    if (below > bc.pathLength) return { code: 'UNTRUSTED', reason: { key: 'PATH_LENGTH', arg: displayName(ca) } };
  }
  return undefined;
}
