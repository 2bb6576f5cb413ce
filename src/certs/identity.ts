// Identity profile: the fields a Vietnamese registration form shows, read from the subject
// and extensions. Vietnamese CAs put identity numbers in UID attributes with a prefix
// ("MST:0100686209-199", "CCCD:001190012345", …); some newer ones use 2.5.4.97
// (organizationIdentifier, ETSI "VATVN-…") or 2.5.4.5 (serialNumber, "IDCVN-…").
import type { IdentityJson } from '../types.js';
import { x509 } from './x509.js';

export type IdentityKind = 'organization' | 'person' | 'civil-servant';

/** One identity number as written in the certificate, e.g. {type: 'MST', value: '0101360697-001'}. */
export interface IdentityNumber {
  type: string;
  value: string;
  /** Where it was found: 'UID', '2.5.4.97' or '2.5.4.5'. */
  source: string;
}

export interface Identity extends IdentityJson {
  /** MST without the branch suffix. */
  taxCodeBase?: string;
  /** The branch suffix after '-', e.g. "199". */
  taxCodeBranch?: string;
  organizationalUnit?: string;
  title?: string;
  locality?: string;
  /** ST: tỉnh / thành phố. */
  province?: string;
  country?: string;
  /** Raw 2.5.4.97 value when present. */
  organizationIdentifier?: string;
  kind: IdentityKind;
  /** The issuing CA's display name: issuer CN, else O. */
  caName?: string;
  /** Every identity number found, in subject order. */
  identifiers: IdentityNumber[];
}

const OID = {
  uid: '0.9.2342.19200300.100.1.1',
  orgId: '2.5.4.97',
  serial: '2.5.4.5',
  email: '1.2.840.113549.1.9.1',
};

/** Names @peculiar/x509 may use for the same attribute (short name or dotted OID). */
const ALIASES: Record<string, string[]> = {
  CN: ['CN', '2.5.4.3'], O: ['O', '2.5.4.10'], OU: ['OU', '2.5.4.11'], L: ['L', '2.5.4.7'],
  ST: ['ST', '2.5.4.8'], C: ['C', '2.5.4.6'], T: ['T', 'title', '2.5.4.12'],
  UID: ['UID', OID.uid], ORGID: ['organizationIdentifier', OID.orgId], SERIAL: ['serialNumber', OID.serial],
  E: ['E', 'emailAddress', OID.email],
};

/** Flattened [key, value] pairs of a name, in order; values NFC-normalised (some CAs decompose). */
function attributes(name: x509.Name): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of name.toJSON()) {
    for (const [key, values] of Object.entries(rdn)) {
      for (const v of values) out.push([key, String(v).normalize('NFC').trim()]);
    }
  }
  return out;
}

function all(attrs: [string, string][], field: keyof typeof ALIASES): string[] {
  const keys = ALIASES[field];
  return attrs.filter(([k]) => keys.includes(k)).map(([, v]) => v).filter((v) => v !== '');
}

function first(attrs: [string, string][], field: keyof typeof ALIASES): string | undefined {
  return all(attrs, field)[0];
}

/** "MST:0101360697-001" / "MST: 0101360697" → {type, value}; other forms undefined. */
function prefixed(raw: string, source: string): IdentityNumber | undefined {
  const m = /^([A-Za-z]{2,5})\s*[:=]\s*(.+)$/.exec(raw);
  return m ? { type: m[1].toUpperCase(), value: m[2].trim(), source } : undefined;
}

/** ETSI EN 319 412-1 semantic identifiers: "VATVN-0101360697", "IDCVN-001190012345". */
const ETSI_TYPES: Record<string, string> = { VAT: 'MST', NTR: 'MST', TIN: 'MST', IDC: 'CCCD', PAS: 'HC', PNO: 'CCCD' };
function etsi(raw: string, source: string): IdentityNumber | undefined {
  const m = /^([A-Z]{3})([A-Z]{2})-(.+)$/.exec(raw);
  if (!m || !ETSI_TYPES[m[1]]) return undefined;
  return { type: ETSI_TYPES[m[1]], value: m[3].trim(), source };
}

function identifiersOf(attrs: [string, string][]): IdentityNumber[] {
  const out: IdentityNumber[] = [];
  for (const v of all(attrs, 'UID')) {
    const id = prefixed(v, 'UID');
    if (id) out.push(id);
  }
  for (const v of all(attrs, 'ORGID')) {
    const id = prefixed(v, OID.orgId) ?? etsi(v, OID.orgId);
    if (id) out.push(id);
  }
  for (const v of all(attrs, 'SERIAL')) {
    const id = prefixed(v, OID.serial) ?? etsi(v, OID.serial);
    if (id) out.push(id);
  }
  return out;
}

function emailOf(cert: x509.X509Certificate, attrs: [string, string][]): string | undefined {
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const fromSan = san?.names.items.find((n) => n.type === 'email')?.value;
  return fromSan ?? first(attrs, 'E');
}

/** Ban Cơ yếu Chính phủ CAs issue to state bodies and their staff. */
function isGovernmentCa(issuer: [string, string][]): boolean {
  const text = [...all(issuer, 'O'), ...all(issuer, 'CN')].join(' ').toLowerCase();
  return text.includes('ban cơ yếu') || text.includes('chính phủ') || text.includes('cơ quan nhà nước')
    || text.includes('government');
}

function kindOf(id: Omit<Identity, 'kind'>, issuer: [string, string][]): IdentityKind {
  const personal = Boolean(id.citizenId || id.legacyId || id.passport || id.socialInsurance);
  // Portals: MST and no personal number → organisation certificate.
  const orgLike = !personal && (Boolean(id.taxCode) || (id.organization !== undefined && id.organization === id.commonName));
  if (orgLike) return 'organization';
  if (isGovernmentCa(issuer) && (id.organization || id.title)) return 'civil-servant';
  return 'person';
}

export function parseIdentity(cert: x509.X509Certificate): Identity {
  const attrs = attributes(cert.subjectName);
  const issuer = attributes(cert.issuerName);
  const identifiers = identifiersOf(attrs);
  const id: Omit<Identity, 'kind'> = { identifiers };
  const set = <K extends keyof Identity>(k: K, v: Identity[K] | undefined) => { if (v !== undefined && v !== '') id[k as keyof typeof id] = v as never; };

  set('commonName', first(attrs, 'CN'));
  set('organization', first(attrs, 'O'));
  for (const n of identifiers) {
    switch (n.type) {
      case 'MST': {
        if (id.taxCode) break;
        const dash = n.value.indexOf('-');
        set('taxCode', n.value);
        set('taxCodeBase', dash > 0 ? n.value.slice(0, dash) : n.value);
        if (dash > 0) set('taxCodeBranch', n.value.slice(dash + 1));
        break;
      }
      case 'CCCD': set('citizenId', id.citizenId ?? n.value); break;
      case 'CMND': case 'CMT': set('legacyId', id.legacyId ?? n.value); break;
      case 'HC': case 'PASSPORT': set('passport', id.passport ?? n.value); break;
      case 'BHXH': set('socialInsurance', id.socialInsurance ?? n.value); break;
      case 'PID':
        // "PID" is used by some CAs for the personal number: 12 digits is a CCCD, 9 a CMND.
        if (/^\d{12}$/.test(n.value)) set('citizenId', id.citizenId ?? n.value);
        else if (/^\d{9}$/.test(n.value)) set('legacyId', id.legacyId ?? n.value);
        break;
      default: break;
    }
  }
  set('email', emailOf(cert, attrs));
  set('organizationalUnit', first(attrs, 'OU'));
  set('title', first(attrs, 'T'));
  set('locality', first(attrs, 'L'));
  set('province', first(attrs, 'ST'));
  set('country', first(attrs, 'C'));
  set('organizationIdentifier', first(attrs, 'ORGID'));
  set('caName', first(issuer, 'CN') ?? first(issuer, 'O'));
  return { ...id, kind: kindOf(id, issuer) };
}

const JSON_FIELDS = ['commonName', 'organization', 'taxCode', 'citizenId', 'legacyId', 'passport', 'socialInsurance', 'email'] as const;

/** The public IdentityJson subset (what `certs --json` and the WebSocket API show). */
export function identityJson(id: Identity): IdentityJson {
  const out: IdentityJson = {};
  for (const k of JSON_FIELDS) if (id[k] !== undefined) out[k] = id[k];
  return out;
}
