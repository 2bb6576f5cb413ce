// Every text the consent/PIN dialogs show, Vietnamese first then English (lang 'en': English
// only). A whole description must fit one Assuan line (1000 bytes escaped), so texts stay short.
import type { Lang } from '../i18n/messages.js';
import type { ChooseCertificateRequest, ConsentCertificate, ConsentRequest, PinError, PinRequest } from '../core/dialogs.js';
import { ASSUAN_MAX_LINE, assuanEscape } from './escape.js';
import { displayOrigin, originLine } from './origin-display.js';

export type { ChooseCertificateRequest, ConsentCertificate, ConsentRequest, PinError, PinRequest };

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

/** Dialogs speak Vietnam time, as the portals do, whatever the machine's zone. */
const VN_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function vnParts(iso: string): Record<string, string> | undefined {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  return Object.fromEntries(VN_TIME.formatToParts(d).map((p) => [p.type, p.value]));
}

function dateVi(iso: string): string {
  const p = vnParts(iso);
  return p ? `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute} (giờ Việt Nam)` : clean(iso, 40);
}

function dateEn(iso: string): string {
  const p = vnParts(iso);
  return p ? `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} Vietnam time (UTC+7)` : clean(iso, 40);
}

/** "Trang web …" plus the registrable domain on its own, so a long host cannot hide it. */
function siteVi(origin: string): string {
  return `Trang web ${originLine(origin)} (tên miền: ${displayOrigin(origin).site})`;
}

function siteEn(origin: string): string {
  return `${originLine(origin)} (site: ${displayOrigin(origin).site})`;
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
  const c = req.certificate;
  const name = clean(c.name, 80);
  const ca = clean(c.caName, 80);
  const idVi = ids(c, 'vi');
  const idEn = ids(c, 'en');
  const hash = req.purpose === 'sign-hash' && req.hashHex ? shortHash(req.hashHex) : '';
  const alg = clean(req.hashAlgorithm ?? '', 12);

  const vi = [
    `${siteVi(req.origin)} yêu cầu dùng chữ ký số của bạn để`,
    req.purpose === 'auth' ? 'tạo bằng chứng đăng ký/đăng nhập.' : 'ký một giá trị băm (dữ liệu bạn không xem được).',
    hash ? `Giá trị băm${alg ? ` (${alg})` : ''}: ${hash}` : '',
    `Chứng thư số: ${name}`,
    idVi,
    `Nhà cung cấp (CA): ${ca} · Hiệu lực đến: ${dateVi(c.validUntil)}`,
    'Chỉ đồng ý nếu bạn đang thao tác trên trang web này.',
  ].filter(Boolean).join('\n');
  const en = [
    `${siteEn(req.origin)} asks to ${req.purpose === 'auth' ? 'create a registration/login proof' : 'sign a hash (data you cannot see)'} with certificate ${name}${idEn ? ` — ${idEn}` : ''}, issued by ${ca}, valid until ${dateEn(c.validUntil)}.`,
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
  const c = req.certificates[index]!;
  const n = req.certificates.length;
  const name = clean(c.name, 80);
  const ca = clean(c.caName, 80);
  const idVi = ids(c, 'vi');
  const idEn = ids(c, 'en');
  const vi = [
    `${siteVi(req.origin)} yêu cầu dùng chữ ký số của bạn để`,
    `${req.purpose === 'auth' ? 'tạo bằng chứng đăng ký/đăng nhập' : 'ký một giá trị băm'}. Chọn chứng thư số (${index + 1}/${n}):`,
    `Chứng thư số: ${name}`,
    idVi,
    `Nhà cung cấp (CA): ${ca} · Hiệu lực đến: ${dateVi(c.validUntil)}`,
  ].filter(Boolean).join('\n');
  const en = `${siteEn(req.origin)} asks to ${req.purpose === 'auth' ? 'create a registration/login proof' : 'sign a hash'}. Certificate ${index + 1} of ${n}: ${name}${idEn ? ` — ${idEn}` : ''}, issued by ${ca}, valid until ${dateEn(c.validUntil)}.`;
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
  const origin = originLine(req.origin);
  const file = req.secretKind === 'password';
  return {
    title: TITLE[lang],
    desc: both(
      lang,
      file
        ? `Nhập mật khẩu của tệp chứng thư số «${label}»\nChứng thư số: ${name}\nYêu cầu từ: ${origin}`
        : `Nhập mã PIN của thiết bị ký số «${label}»\nChứng thư số: ${name}\nYêu cầu từ: ${origin}`,
      file
        ? `Enter the password of certificate file «${label}»\nCertificate: ${name}\nRequested by: ${origin}`
        : `Enter the PIN of token «${label}»\nCertificate: ${name}\nRequested by: ${origin}`,
    ),
    prompt: file ? (lang === 'en' ? 'Password:' : 'Mật khẩu / Password:') : (lang === 'en' ? 'PIN:' : 'Mã PIN / PIN:'),
    error: pinErrorText(req.error, lang),
    ok: 'OK',
    cancel: lang === 'en' ? '_Cancel' : 'Huỷ / _Cancel',
  };
}

export function originTexts(origin: string, lang: Lang = 'vi'): DialogTexts {
  return {
    title: TITLE[lang],
    desc: both(
      lang,
      `${siteVi(origin)} muốn dùng thiết bị ký số (USB token) của bạn để đăng nhập và ký văn bản.\nCho phép trang này gửi yêu cầu? Mỗi lần ký bạn vẫn được hỏi và phải nhập mã PIN.`,
      `The website ${siteEn(origin)} wants to use your signing token to log in and sign documents.\nAllow this site to send requests? You will still be asked, and need your PIN, for every signature.`,
    ),
    ok: lang === 'en' ? '_Allow' : 'Cho phép / _Allow',
    cancel: lang === 'en' ? '_Deny' : 'Từ chối / _Deny',
  };
}

/**
 * The grant to sign hashes the user cannot see. It says plainly what is at stake: such a
 * signature can be a login proof for another site.
 */
export function rawSigningTexts(origin: string, lang: Lang = 'vi'): DialogTexts {
  const site = displayOrigin(origin).site;
  return {
    title: TITLE[lang],
    desc: both(
      lang,
      `CẢNH BÁO: ${siteVi(origin)} xin quyền ký dữ liệu mà bạn không xem được (giá trị băm).\nMột trang được ký dữ liệu bạn không xem được có thể dùng chữ ký đó để đăng nhập với danh nghĩa của bạn trên các trang web khác.\nChỉ cho phép nếu bạn tin tưởng hoàn toàn ${site}.`,
      `WARNING: ${siteEn(origin)} asks to sign data you cannot see (hashes).\nA site allowed to sign data you cannot see can use the signature to log in as you on other sites.\nOnly allow if you fully trust ${site}.`,
    ),
    ok: lang === 'en' ? '_Allow' : 'Cho phép / _Allow',
    cancel: lang === 'en' ? '_Deny' : 'Từ chối / _Deny',
  };
}
