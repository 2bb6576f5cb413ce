// The JSON the service answers for a verification: `identity` and `validation` shaped exactly as
// `identity` and `status` in `kyso-bridge certs --json`, the certificate's own summary, or a refusal.
import { identityJson } from '../certs/identity.js';
import type { CertificateStatus } from '../certs/types.js';
import { AuthVerificationError } from '../portal/errors.js';
import type { VerifiedAuth } from '../portal/verify.js';

export function acceptedJson(who: VerifiedAuth) {
  return {
    ok: true as const,
    identity: identityJson(who.details),
    certificate: {
      subject: who.subject, issuer: who.issuer, serialNumber: who.serialNumber, notBefore: who.validFrom, notAfter: who.validTo,
    },
    validation: who.validation,
  };
}

/** A refused proof: its code and texts; for a certificate verdict, the validator's own message and the verdict. */
export function refusedJson(e: AuthVerificationError) {
  const status = e.source === 'certificate' ? (e.certificateStatus as CertificateStatus | undefined) : undefined;
  return {
    ok: false as const,
    code: e.code,
    message: status?.message ?? e.localized('vi'),
    messageEn: status?.messageEn ?? e.localized('en'),
    ...(status ? { validation: status } : {}),
  };
}
