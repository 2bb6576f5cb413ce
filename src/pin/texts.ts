// Every text the consent/PIN dialogs show, Vietnamese first then English (lang 'en': English
// only). A whole description must fit one Assuan line (1000 bytes escaped), so texts stay short.
import type { Lang } from '../i18n/messages.js';
import { ASSUAN_MAX_LINE, assuanEscape } from './escape.js';

export interface ConsentCertificate {
  name: string;
  taxCode?: string;
  citizenId?: string;
  legacyId?: string;
  caName: string;
  /** ISO 8601. */
  validUntil: string;
}

export interface ConsentRequest {
  origin: string;
  purpose: 'auth' | 'sign-hash';
  certificate: ConsentCertificate;
  hashAlgorithm?: string;
  hashHex?: string;
}

export interface PinError {
  kind: 'incorrect' | 'count-low' | 'final-try';
  retriesLeft?: number | null;
}

export interface PinRequest {
  tokenLabel: string;
  certificateName: string;
  origin: string;
  error?: PinError;
}

/** Button labels mark their keyboard key with '_' (pinentry's mnemonic syntax): Vietnamese
 * labels would otherwise get an odd letter (pinentry-tty picks 'n' for "Đồng ý"). */
export interface DialogTexts {
  title: string;
  desc: string;
  prompt?: string;
  error?: string;
  ok: string;
  cancel: string;
  /** Third button (pinentry SETNOTOK), e.g. "next certificate". */
  notOk?: string;
}

export interface ChooseCertificateRequest {
  origin: string;
  purpose: ConsentRequest['purpose'];
  certificates: ConsentCertificate[];
}

const TITLE = { vi: 'Chữ ký số — Kyso Bridge', en: 'Digital signature — Kyso Bridge' };

/** Texts from web pages and certificates may carry newlines or bidi overrides that would
 * let a page forge dialog lines; flatten them and cap the length. */
export function clean(s: string | undefined, max = 120): string {
  const flat = (s ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : flat;
}

/** Vietnamese then English; if both together would not fit one Assuan line, Vietnamese only
 * (better than a description cut in the middle). */
function both(lang: Lang, vi: string, en: string): string {
  if (lang === 'en') return en;
  const joined = `${vi}\n\n${en}`;
  return Buffer.byteLength(`SETDESC ${assuanEscape(joined)}`) <= ASSUAN_MAX_LINE ? joined : vi;
}

function dateVi(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return clean(iso, 40);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}`;
}

function dateEn(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return clean(iso, 40);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function ids(c: ConsentCertificate, lang: Lang): string {
  const en = lang === 'en';
  const parts: string[] = [];
  if (c.taxCode) parts.push(`${en ? 'tax code (MST) ' : 'MST: '}${clean(c.taxCode, 20)}`);
  if (c.citizenId) parts.push(`${en ? 'citizen ID (CCCD) ' : 'CCCD: '}${clean(c.citizenId, 20)}`);
  if (c.legacyId) parts.push(`${en ? 'ID card (CMND) ' : 'CMND: '}${clean(c.legacyId, 20)}`);
  return parts.join(en ? ', ' : ' · ');
}

function shortHash(hex: string): string {
  const h = hex.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return h.length > 64 ? `${h.slice(0, 40)}…${h.slice(-16)}` : h;
}

export function consentTexts(req: ConsentRequest, lang: Lang = 'vi'): DialogTexts {
  const origin = clean(req.origin, 100);
  const c = req.certificate;
  const name = clean(c.name, 80);
  const ca = clean(c.caName, 80);
  const idVi = ids(c, 'vi');
  const idEn = ids(c, 'en');
  const hash = req.purpose === 'sign-hash' && req.hashHex ? shortHash(req.hashHex) : '';
  const alg = clean(req.hashAlgorithm ?? '', 12);

  const vi = [
    `Trang web ${origin} yêu cầu dùng chữ ký số của bạn để`,
    req.purpose === 'auth' ? 'tạo bằng chứng đăng ký/đăng nhập.' : 'ký một giá trị băm.',
    hash ? `Giá trị băm${alg ? ` (${alg})` : ''}: ${hash}` : '',
    `Chứng thư số: ${name}`,
    idVi,
    `Nhà cung cấp (CA): ${ca} · Hiệu lực đến: ${dateVi(c.validUntil)}`,
    'Chỉ đồng ý nếu bạn đang thao tác trên trang web này.',
  ].filter(Boolean).join('\n');
  const en = [
    `${origin} asks to ${req.purpose === 'auth' ? 'create a registration/login proof' : 'sign a hash'} with certificate ${name}${idEn ? ` — ${idEn}` : ''}, issued by ${ca}, valid until ${dateEn(c.validUntil)}.`,
    'Only allow if you are using this website now.',
  ].join('\n');
  return {
    title: TITLE[lang],
    desc: both(lang, vi, en),
    ok: lang === 'en' ? '_Allow' : 'Đồng ý / _Allow',
    cancel: lang === 'en' ? '_Cancel' : 'Huỷ / _Cancel',
  };
}

/** One page of the certificate chooser: certificate `index` of n, with Use / Next / Cancel. */
export function chooseTexts(req: ChooseCertificateRequest, index: number, lang: Lang = 'vi'): DialogTexts {
  const origin = clean(req.origin, 100);
  const c = req.certificates[index]!;
  const n = req.certificates.length;
  const name = clean(c.name, 80);
  const ca = clean(c.caName, 80);
  const idVi = ids(c, 'vi');
  const idEn = ids(c, 'en');
  const vi = [
    `Trang web ${origin} yêu cầu dùng chữ ký số của bạn để`,
    `${req.purpose === 'auth' ? 'tạo bằng chứng đăng ký/đăng nhập' : 'ký một giá trị băm'}. Chọn chứng thư số (${index + 1}/${n}):`,
    `Chứng thư số: ${name}`,
    idVi,
    `Nhà cung cấp (CA): ${ca} · Hiệu lực đến: ${dateVi(c.validUntil)}`,
  ].filter(Boolean).join('\n');
  const en = `${origin} asks to ${req.purpose === 'auth' ? 'create a registration/login proof' : 'sign a hash'}. Certificate ${index + 1} of ${n}: ${name}${idEn ? ` — ${idEn}` : ''}, issued by ${ca}, valid until ${dateEn(c.validUntil)}.`;
  return {
    title: TITLE[lang],
    desc: both(lang, vi, en),
    ok: lang === 'en' ? '_Use this one' : 'Dùng chứng thư này / _Use',
    notOk: lang === 'en' ? '_Next' : 'Chứng thư khác / _Next',
    cancel: lang === 'en' ? '_Cancel' : 'Huỷ / _Cancel',
  };
}

/** The retry warning under the PIN field, or undefined on the first attempt. */
export function pinErrorText(err: PinError | undefined, lang: Lang = 'vi'): string | undefined {
  if (!err) return undefined;
  const n = typeof err.retriesLeft === 'number' ? err.retriesLeft : undefined;
  if (err.kind === 'final-try' || n === 1) {
    return both(lang, 'Mã PIN không đúng. Còn 1 lần thử — nhập sai nữa thiết bị sẽ bị khoá.', 'Wrong PIN. 1 try left — one more wrong PIN locks the token.');
  }
  if (n !== undefined && n > 1) {
    const warnVi = err.kind === 'count-low' ? ' Thiết bị sắp bị khoá nếu tiếp tục nhập sai.' : '';
    const warnEn = err.kind === 'count-low' ? ' The token locks soon if you keep entering wrong PINs.' : '';
    return both(lang, `Mã PIN không đúng. Còn ${n} lần thử.${warnVi}`, `Wrong PIN. ${n} tries left.${warnEn}`);
  }
  if (err.kind === 'count-low') {
    return both(lang, 'Mã PIN không đúng. Thiết bị sắp bị khoá nếu tiếp tục nhập sai.', 'Wrong PIN. The token locks soon if you keep entering wrong PINs.');
  }
  return both(lang, 'Mã PIN không đúng. Vui lòng nhập lại.', 'Wrong PIN. Please try again.');
}

export function pinTexts(req: PinRequest, lang: Lang = 'vi'): DialogTexts {
  const label = clean(req.tokenLabel, 64);
  const name = clean(req.certificateName, 80);
  const origin = clean(req.origin, 100);
  return {
    title: TITLE[lang],
    desc: both(
      lang,
      `Nhập mã PIN của thiết bị ký số «${label}»\nChứng thư số: ${name}\nYêu cầu từ: ${origin}`,
      `Enter the PIN of token «${label}»\nCertificate: ${name}\nRequested by: ${origin}`,
    ),
    prompt: lang === 'en' ? 'PIN:' : 'Mã PIN / PIN:',
    error: pinErrorText(req.error, lang),
    ok: 'OK',
    cancel: lang === 'en' ? '_Cancel' : 'Huỷ / _Cancel',
  };
}

export function originTexts(origin: string, lang: Lang = 'vi'): DialogTexts {
  const o = clean(origin, 100);
  return {
    title: TITLE[lang],
    desc: both(
      lang,
      `Trang web ${o} muốn dùng thiết bị ký số (USB token) của bạn.\nCho phép trang này gửi yêu cầu ký? Mỗi lần ký bạn vẫn được hỏi và phải nhập mã PIN.`,
      `The website ${o} wants to use your signing token.\nAllow this site to send signing requests? You will still be asked, and need your PIN, for every signature.`,
    ),
    ok: lang === 'en' ? '_Allow' : 'Cho phép / _Allow',
    cancel: lang === 'en' ? '_Deny' : 'Từ chối / _Deny',
  };
}
