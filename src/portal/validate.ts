// The one call into the certificate validator (src/certs), so its option shapes are adapted in
// one place. purpose 'auth': digitalSignature (+ clientAuth when an EKU is present). The portal's
// anchors add to the validator's pinned official roots; a server's user-imported roots dir is
// never consulted (rootsDir: false): what a portal trusts is what its code says.
import { validateCertificate } from '../certs/index.js';
import type { CertificateStatus, RevocationPolicy } from '../certs/types.js';
import type { FetchLike } from '../certs/fetcher.js';
import type { x509 } from '../certs/x509.js';

export type { FetchLike };

export type RevocationMode = RevocationPolicy;
export type TrustAnchorInput = string | Buffer | Uint8Array;
export type CertificateVerdict = CertificateStatus;

export interface ValidateOptions {
  at: Date;
  intermediates: x509.X509Certificate[];
  trustAnchors: TrustAnchorInput[];
  revocation: RevocationMode;
  fetch?: FetchLike;
}

export async function validateForAuth(cert: x509.X509Certificate, opts: ValidateOptions): Promise<CertificateVerdict> {
  return validateCertificate(cert, {
    purpose: 'auth',
    at: opts.at,
    intermediates: opts.intermediates,
    trustAnchors: opts.trustAnchors,
    revocation: opts.revocation,
    rootsDir: false,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}
