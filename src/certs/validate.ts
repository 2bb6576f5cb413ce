// Certificate validation, in the order a user can act on: the certificate's own dates,
// algorithms and key usage (no network), then the chain to a pinned Vietnamese root, then
// revocation. Nothing here asks for a PIN; the daemon calls this before any dialog.
import type { Lang } from '../i18n/messages.js';
import { sharedCache } from './cache.js';
import { buildChain } from './chain.js';
import { algorithmPolicy } from './algorithms.js';
import { checkCaConstraints, checkDates, checkKeyUsage, daysLeft, isCa, DEFAULT_CLOCK_SKEW_MS, type Failure, type Purpose } from './checks.js';
import { statusText, warningText, type Reason, type StatusCode, type WarningCode } from '../i18n/table-validation.js';
import { parseCertificates, toCertificate, type CertInput } from './pem.js';
import { checkRevocation, NOT_CHECKED } from './revocation.js';
import { TrustAnchors } from './trust.js';
import { loadIntermediates } from './intermediates-store.js';
import type { CertificateStatus, CertificateWarning, RevocationInfo, ValidateOptions } from './types.js';
import type { x509 } from './x509.js';

class Warnings {
  readonly list: CertificateWarning[] = [];
  constructor(private readonly lang: Lang) {}
  add(code: WarningCode, arg?: string | number): void {
    if (!this.list.some((w) => w.code === code)) this.list.push({ code, message: warningText(code, this.lang, arg) });
  }
}

function status(code: StatusCode, ok: boolean, parts: { reason?: Reason; warnings: Warnings; chain: x509.X509Certificate[]; revocation: RevocationInfo; lang: Lang }): CertificateStatus {
  const out: CertificateStatus = {
    ok,
    code,
    warnings: parts.warnings.list,
    chain: parts.chain.map((c) => c.subject),
    revocation: parts.revocation,
    message: statusText(code, parts.lang, parts.reason),
    messageEn: statusText(code, 'en', parts.reason),
  };
  if (parts.reason) out.reason = parts.reason.key;
  return out;
}

/** Checks of the certificate alone: dates, algorithm policy, key usage. */
function localFailure(cert: x509.X509Certificate, purpose: Purpose | 'ca', at: Date, skewMs: number, warnings: Warnings): Failure | undefined {
  const dates = checkDates(cert, at, skewMs);
  if (dates) return dates;
  const alg = algorithmPolicy(cert);
  if (!alg.ok) return { code: 'BAD_SIGNATURE', reason: { key: alg.reason, arg: alg.arg } };
  if (alg.sha1) warnings.add('SHA1_SIGNATURE');
  const ku = checkKeyUsage(cert, purpose);
  if (ku) return ku;
  const days = daysLeft(cert, at);
  if (days !== undefined) warnings.add('EXPIRING_SOON', days);
  return undefined;
}

/** Purpose when none is given: signing for end-entity certificates, certificate signing for CAs. */
function purposeOf(cert: x509.X509Certificate, purpose?: Purpose): Purpose | 'ca' {
  return purpose ?? (isCa(cert) ? 'ca' : 'sign');
}

export interface QuickOptions { purpose?: Purpose; at?: Date; lang?: Lang; clockSkewMs?: number }

/** Dates, algorithms and key usage only: no chain, no network. Same shape as validateCertificate. */
export function quickStatus(input: CertInput, opts: QuickOptions = {}): CertificateStatus {
  const lang = opts.lang ?? 'vi';
  const cert = toCertificate(input);
  const warnings = new Warnings(lang);
  const fail = localFailure(cert, purposeOf(cert, opts.purpose), opts.at ?? new Date(), opts.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS, warnings);
  const parts = { warnings, chain: [cert], revocation: NOT_CHECKED, lang };
  return fail ? status(fail.code, false, { ...parts, reason: fail.reason }) : status('VALID', true, parts);
}

/** Constraints, dates and algorithms of the CAs above the leaf. */
function chainFailure(chain: x509.X509Certificate[], at: Date, skewMs: number, warnings: Warnings): Failure | undefined {
  for (let i = 1; i < chain.length; i++) {
    const ca = chain[i];
    const anchor = i === chain.length - 1;
    const f = checkCaConstraints(chain, i) ?? checkDates(ca, at, skewMs, true);
    if (f) return f;
    // The anchor's self-signature carries no trust (the pin does), so its algorithm is not judged.
    if (anchor) continue;
    const alg = algorithmPolicy(ca);
    if (!alg.ok) return { code: 'BAD_SIGNATURE', reason: { key: alg.reason, arg: alg.arg } };
    if (alg.sha1) warnings.add('SHA1_SIGNATURE');
  }
  return undefined;
}

export async function validateCertificate(input: CertInput, opts: ValidateOptions = {}): Promise<CertificateStatus> {
  const lang = opts.lang ?? 'vi';
  const cert = toCertificate(input);
  const at = opts.at ?? new Date();
  const skewMs = opts.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  const warnings = new Warnings(lang);
  const fail = (f: Failure, chain: x509.X509Certificate[]) => status(f.code, false, { reason: f.reason, warnings, chain, revocation: NOT_CHECKED, lang });

  const local = localFailure(cert, purposeOf(cert, opts.purpose), at, skewMs, warnings);
  if (local) return fail(local, [cert]);

  const cache = opts.cache ?? sharedCache(opts.cacheDir);
  const network = opts.network !== false;
  const anchors = new TrustAnchors(opts.trustAnchors ?? [], opts.rootsDir);
  const candidates = (opts.intermediates ?? []).flatMap((c) => parseCertificates(c));
  if (opts.intermediatesDir !== false) candidates.push(...loadIntermediates(opts.intermediatesDir));
  const built = await buildChain(cert, candidates, anchors, { cache, fetch: opts.fetch, timeoutMs: opts.timeoutMs, network });
  if (built.failure) return fail(built.failure, built.chain);
  const chainFail = chainFailure(built.chain, at, skewMs, warnings);
  if (chainFail) return fail(chainFail, built.chain);
  if (built.anchor === 'forced') warnings.add('FORCED_ROOT');

  const policy = opts.revocation ?? 'prefer';
  const parts = { warnings, chain: built.chain, lang };
  // A pinned root validated on its own has no issuer to ask.
  if (policy === 'off' || built.chain.length < 2) return status('VALID', true, { ...parts, revocation: NOT_CHECKED });
  const revocation = await checkRevocation(cert, built.chain[1], { cache, fetch: opts.fetch, timeoutMs: opts.timeoutMs, network, skewMs });
  if (revocation.status === 'revoked') {
    return status('REVOKED', false, { ...parts, revocation, reason: revocation.revokedAt ? { key: 'REVOKED_AT', arg: revocation.revokedAt } : undefined });
  }
  if (revocation.status === 'good') return status('VALID', true, { ...parts, revocation });
  if (policy === 'require') return status('REVOCATION_UNKNOWN', false, { ...parts, revocation, reason: { key: 'REVOCATION_REQUIRED' } });
  warnings.add('REVOCATION_UNKNOWN');
  return status('REVOCATION_UNKNOWN', true, { ...parts, revocation });
}
