// Public shapes of certificate validation (CLI --json, certificates.list status, portal verifier).
import type { Lang } from '../i18n/messages.js';
import type { FetchLike } from './fetcher.js';
import type { ValidationCache } from './cache.js';
import type { StatusCode, WarningCode } from '../i18n/table-validation.js';
import type { CertInput } from './pem.js';
import type { Purpose } from './checks.js';

export type { StatusCode, WarningCode, Purpose, CertInput };
export type RevocationPolicy = 'require' | 'prefer' | 'off';

export interface CertificateWarning {
  code: WarningCode;
  /** Vietnamese (or English with lang: 'en'). */
  message: string;
}

export interface RevocationInfo {
  /** Where the answer came from; 'none' when nothing was asked (policy off or an earlier failure). */
  source: 'ocsp' | 'crl' | 'none';
  status: 'good' | 'revoked' | 'unknown' | 'not-checked';
  /** ISO time of the check; null when not checked. */
  checkedAt: string | null;
  /** Set when revoked. */
  revokedAt?: string;
  reason?: string;
  /** The URL that answered, or why nothing did. */
  url?: string;
  error?: string;
  /** True when this answer came from the cache. */
  cached?: boolean;
}

export interface CertificateStatus {
  ok: boolean;
  code: StatusCode;
  warnings: CertificateWarning[];
  /** Subject DNs, leaf first, ending at the trust anchor when one was reached. */
  chain: string[];
  revocation: RevocationInfo;
  /** Vietnamese by default (see ValidateOptions.lang). */
  message: string;
  messageEn: string;
  /** Machine-readable detail of a failure, e.g. WEAK_KEY, PATH_LENGTH, NO_ISSUER. */
  reason?: string;
}

export interface ValidateOptions {
  purpose?: Purpose;
  /** Validation time (default now); revocation freshness is always judged against the real clock. */
  at?: Date;
  /** Candidate CAs: the token's CA objects, a local intermediates store, --intermediate files. */
  intermediates?: CertInput[];
  /** Extra anchors (PEM text, DER, or parsed), on top of the pinned official roots. */
  trustAnchors?: CertInput[];
  revocation?: RevocationPolicy;
  /** Injectable HTTP (tests point fixture URLs at an ephemeral port). */
  fetch?: FetchLike;
  /** false: no AIA, OCSP or CRL fetch at all (cached answers are still used). */
  network?: boolean;
  /** Per-request timeout (default 5 s). */
  timeoutMs?: number;
  /** Directory for the on-disk AIA/CRL cache. */
  cacheDir?: string;
  /** Use this cache instead of the process-wide one for cacheDir. */
  cache?: ValidationCache;
  /** Local intermediates store (a directory of CA certificates); default the user's, false for none. */
  intermediatesDir?: string | false;
  /** Imported roots directory (`roots import`); default the user's, false for none. */
  rootsDir?: string | false;
  clockSkewMs?: number;
  lang?: Lang;
}
