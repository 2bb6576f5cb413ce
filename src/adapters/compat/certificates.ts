// Certificate facts in the shapes vendor scripts read: the subject as a .NET-style DN (CN first),
// serial numbers compared the way portals write them, dates, and finding a certificate by serial.
import { X509Certificate } from 'node:crypto';
import { KysoError } from '../../errors.js';
import type { BridgeService, CallContext, CertificateWithStatus } from '../../core/bridge-service.js';

/** The DN in reverse encoding order, `CN=…, O=…, C=VN`: portals cut the name after `CN=`. */
export function dnCnFirst(name: string): string {
  return name.split('\n').reverse().join(', ');
}

export function subjectOf(certBase64: string): { subject: string; issuer: string } {
  const x = new X509Certificate(Buffer.from(certBase64, 'base64'));
  return { subject: dnCnFirst(x.subject), issuer: dnCnFirst(x.issuer) };
}

/** One attribute of a DN in node's one-per-line form (values are RFC 2253-escaped). */
export function attribute(name: string, key: string): string | undefined {
  const line = name.split('\n').find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1);
}

/** The RDNs of a DN, encoding order, as [key, value] pairs. */
export function attributes(name: string): [string, string][] {
  return name.split('\n').filter(Boolean).map((l) => {
    const i = l.indexOf('=');
    return [l.slice(0, i), l.slice(i + 1)];
  });
}

export function commonNames(certBase64: string): { subjectCN: string; issuerCN: string } {
  const x = new X509Certificate(Buffer.from(certBase64, 'base64'));
  return { subjectCN: attribute(x.subject, 'CN') ?? '', issuerCN: attribute(x.issuer, 'CN') ?? '' };
}

/** `5a0001`, `005A0001`, `5A 00 01` all name the same certificate. */
export function normalizeSerial(serial: string): string {
  return serial.replace(/[\s:]/g, '').toUpperCase().replace(/^0+(?=.)/, '');
}

/** The page's serial among the certificates the origin may list (grant login). */
export async function certificateBySerial(core: BridgeService, ctx: CallContext, serial: string): Promise<CertificateWithStatus> {
  const want = normalizeSerial(serial);
  const found = (await core.listCertificates(ctx)).find((c) => normalizeSerial(c.serialNumber) === want && c.hasPrivateKey);
  if (!found) throw new KysoError('CERTIFICATE_NOT_FOUND', {}, `serial ${serial.slice(0, 40)}`);
  return found;
}

/** `dd/MM/yyyy HH:mm:ss`, Vietnam time: what Vietnamese Windows software prints for a date. */
export function vnDate(iso: string): string {
  const v = new Date(Date.parse(iso) + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}/${p(v.getUTCMonth() + 1)}/${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}:${p(v.getUTCSeconds())}`;
}

/** A page-given time: ISO, or `dd/MM/yyyy[ HH:mm:ss]` / `HH:mm:ss dd/MM/yyyy` in Vietnam time. */
export function parsePageTime(text: string | null | undefined): Date | undefined {
  if (!text || text === '1') return undefined;
  const vn = /^(?:(\d{1,2}):(\d{2}):(\d{2})\s+)?(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}):(\d{2}))?$/.exec(text.trim());
  if (vn) {
    const [h, mi, s] = vn[1] ? [vn[1], vn[2], vn[3]] : [vn[7] ?? '0', vn[8] ?? '0', vn[9] ?? '0'];
    return new Date(Date.UTC(+vn[6]!, +vn[5]! - 1, +vn[4]!, +h! - 7, +mi!, +s!));
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new KysoError('INVALID_PARAMS', { field: 'time' }, 'time is not a date');
  return new Date(t);
}
