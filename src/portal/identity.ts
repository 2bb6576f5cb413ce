// The identity a portal may store and show, read only from a certificate the verifier has
// already validated (never from what the page or the bridge says about it).
import { createHash } from 'node:crypto';
import { parseIdentity, type Identity, type IdentityKind } from '../certs/identity.js';
import type { x509 } from '../certs/x509.js';
import { formatName } from '../certs/names.js';

export interface VerifiedIdentity {
  kind: IdentityKind;
  /** Tên tổ chức for organisations, Họ tên for people. */
  name: string;
  organization?: string;
  commonName?: string;
  /** MST (with branch suffix when present). */
  taxCode?: string;
  /** CCCD, 12 digits. */
  citizenId?: string;
  /** CMND (old identity card). */
  legacyId?: string;
  /** The number a portal keys the account on, e.g. {type: 'MST', value: '3301234567'}. */
  primaryId?: { type: string; value: string };
  /** Tên CA: the issuer's display name. */
  caName: string;
  /** Ngày hiệu lực / Ngày hết hạn, ISO 8601. */
  validFrom: string;
  validTo: string;
  /** SHA-256 of the certificate DER, upper-case hex. */
  fingerprint: string;
  /** Hex, upper case. */
  serialNumber: string;
  /** Distinguished names as `kyso-bridge certs --json` prints them. */
  subject: string;
  issuer: string;
  /** base64 DER of the verified certificate. */
  certificate: string;
  /** Every field the identity profile read. */
  details: Identity;
}

function primaryIdOf(id: Identity): VerifiedIdentity['primaryId'] {
  if (id.kind === 'organization' && id.taxCode) return { type: 'MST', value: id.taxCode };
  if (id.citizenId) return { type: 'CCCD', value: id.citizenId };
  if (id.legacyId) return { type: 'CMND', value: id.legacyId };
  if (id.taxCode) return { type: 'MST', value: id.taxCode };
  if (id.passport) return { type: 'HC', value: id.passport };
  return undefined;
}

export function verifiedIdentityOf(cert: x509.X509Certificate): VerifiedIdentity {
  const id = parseIdentity(cert);
  const der = Buffer.from(cert.rawData);
  const name = id.kind === 'organization' ? (id.organization ?? id.commonName) : (id.commonName ?? id.organization);
  const out: VerifiedIdentity = {
    kind: id.kind,
    name: name ?? cert.subject,
    caName: id.caName ?? cert.issuer,
    validFrom: cert.notBefore.toISOString(),
    validTo: cert.notAfter.toISOString(),
    fingerprint: createHash('sha256').update(der).digest('hex').toUpperCase(),
    serialNumber: cert.serialNumber.toUpperCase(),
    subject: formatName(cert.subjectName),
    issuer: formatName(cert.issuerName),
    certificate: der.toString('base64'),
    details: id,
  };
  if (id.organization) out.organization = id.organization;
  if (id.commonName) out.commonName = id.commonName;
  if (id.taxCode) out.taxCode = id.taxCode;
  if (id.citizenId) out.citizenId = id.citizenId;
  if (id.legacyId) out.legacyId = id.legacyId;
  const primary = primaryIdOf(id);
  if (primary) out.primaryId = primary;
  return out;
}
