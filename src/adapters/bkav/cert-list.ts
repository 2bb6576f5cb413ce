// GetCertListByFilter / GetAllCert: base64 of `<Certificates><Certificate>…` with the fields portal
// code reads (SerialNumber, SubjectDN/CN, IssuerDN/CN, TimeValidTo) and a few more, text escaped.
import { X509Certificate } from 'node:crypto';
import type { CertificateWithStatus } from '../../core/bridge-service.js';
import { attributes, vnDate } from '../compat/certificates.js';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** Element names from DN keys: `CN`, `O`, `UID`; an OID key becomes `OID.2.5.4.97` → `OID_2_5_4_97`. */
const tag = (k: string) => /^[A-Za-z][A-Za-z0-9]*$/.test(k) ? k : `OID_${k.replace(/[^0-9A-Za-z]/g, '_')}`;

function dnXml(name: string, element: string): string {
  return `<${element}>${attributes(name).map(([k, v]) => `<${tag(k)}>${esc(v)}</${tag(k)}>`).join('')}</${element}>`;
}

export type Filter = 'SerialNumber' | 'SubjectCN' | 'IssuerCN' | 'ValidTo' | 'ValidFrom' | 'TimeValid';

/** The script's filters; an unknown filter or value `1` keeps every certificate. */
export function matches(c: CertificateWithStatus, filter: string | undefined, value: string | undefined, now = Date.now()): boolean {
  const x = new X509Certificate(Buffer.from(c.certificate, 'base64'));
  const cn = (n: string) => attributes(n).find(([k]) => k === 'CN')?.[1] ?? '';
  const has = (text: string) => !value || text.toLowerCase().includes(value.toLowerCase());
  switch (filter as Filter) {
    case 'SerialNumber': return !value || c.serialNumber.replace(/^0+/, '') === value.toUpperCase().replace(/^0+/, '');
    case 'SubjectCN': return has(cn(x.subject));
    case 'IssuerCN': return has(cn(x.issuer));
    case 'TimeValid': return Date.parse(c.notBefore) <= now && now <= Date.parse(c.notAfter);
    default: return true;
  }
}

export function certificatesXml(list: CertificateWithStatus[]): string {
  const items = list.map((c) => {
    const x = new X509Certificate(Buffer.from(c.certificate, 'base64'));
    return `<Certificate><SerialNumber>${esc(c.serialNumber)}</SerialNumber>${dnXml(x.subject, 'SubjectDN')}${dnXml(x.issuer, 'IssuerDN')}`
      + `<TimeValidFrom>${vnDate(c.notBefore)}</TimeValidFrom><TimeValidTo>${vnDate(c.notAfter)}</TimeValidTo>`
      + `<Status>${c.status.ok ? 1 : 0}</Status><Base64>${c.certificate}</Base64></Certificate>`;
  });
  return Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Certificates>${items.join('')}</Certificates>`, 'utf8').toString('base64');
}
