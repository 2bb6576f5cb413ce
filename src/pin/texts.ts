// Builds what the consent/grant/chooser/PIN dialogs show from the text table, Vietnamese first
// then English (lang 'en': English only). A whole description must fit one Assuan line (1000
// bytes escaped), so texts stay short.
import { DIALOG_TEXTS, type DialogTextKey } from '../i18n/table-dialogs.js';
import { fill, type Lang } from '../i18n/types.js';
import type { ChooseCertificateRequest, ConsentCertificate, ConsentRequest, PinError, PinRequest } from '../core/dialogs.js';
import { ASSUAN_MAX_LINE, assuanEscape } from './escape.js';
import { documentConsentLines } from './document-consent.js';
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

type Vars = Record<string, string | number | undefined>;

function t(key: DialogTextKey, lang: Lang, vars?: Vars): string {
  return fill(DIALOG_TEXTS[key][lang], vars);
}

/** Texts from web pages and certificates may carry newlines or bidi overrides that would
 * let a page forge dialog lines; flatten them and cap the length. */
export function clean(s: string | undefined, max = 120): string {
  const flat = (s ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : flat;
}

/** Vietnamese then English; if both together would not fit one Assuan line, Vietnamese only
 * (better than a description cut in the middle). */
function both(lang: Lang, make: (l: Lang) => string): string {
  if (lang === 'en') return make('en');
  const vi = make('vi');
  const joined = `${vi}\n\n${make('en')}`;
  return Buffer.byteLength(`SETDESC ${assuanEscape(joined)}`) <= ASSUAN_MAX_LINE ? joined : vi;
}

/** Dialogs speak Vietnam time, as the portals do, whatever the machine's zone. */
const VN_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function date(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return clean(iso, 40);
  return t('dialog.date', lang, Object.fromEntries(VN_TIME.formatToParts(d).map((p) => [p.type, p.value])));
}

/** The site line: a long host cannot hide the registrable domain (see origin-display). */
function site(origin: string, lang: Lang): string {
  // Not a web page: the CLI (local-user) or a local program without an Origin.
  if (!/^https?:\/\//.test(origin)) return t('dialog.site.local', lang, { name: clean(origin, 40) });
  return t('dialog.site', lang, { origin: originLine(origin), site: displayOrigin(origin).site });
}

function ids(c: ConsentCertificate, lang: Lang): string {
  const parts: string[] = [];
  if (c.taxCode) parts.push(t('dialog.id.taxCode', lang, { v: clean(c.taxCode, 20) }));
  if (c.citizenId) parts.push(t('dialog.id.citizenId', lang, { v: clean(c.citizenId, 20) }));
  if (c.legacyId) parts.push(t('dialog.id.legacyId', lang, { v: clean(c.legacyId, 20) }));
  return parts.join(lang === 'en' ? ', ' : ' · ');
}

function shortHash(hex: string): string {
  const h = hex.replace(/[^0-9a-fA-F]/g, '').toLowerCase();
  return h.length > 64 ? `${h.slice(0, 40)}…${h.slice(-16)}` : h;
}

/** The certificate lines: name, identity numbers, CA and expiry. */
function certificateLines(c: ConsentCertificate, lang: Lang): string[] {
  const vars = { name: clean(c.name, 80), ca: clean(c.caName, 80), until: date(c.validUntil, lang) };
  const idLine = ids(c, lang);
  if (lang === 'vi') return [t('dialog.certificate', lang, vars), idLine, t('dialog.issuer', lang, vars)].filter(Boolean);
  return [`${t('dialog.certificate', lang, vars)}${idLine ? ` — ${idLine}` : ''}, ${t('dialog.issuer', lang, vars)}.`];
}

function buttons(lang: Lang, ok: DialogTextKey, cancel: DialogTextKey): Pick<DialogTexts, 'title' | 'ok' | 'cancel'> {
  return { title: t('dialog.title', lang), ok: t(ok, lang), cancel: t(cancel, lang) };
}

export function consentTexts(req: ConsentRequest, lang: Lang = 'vi'): DialogTexts {
  if (req.document) return documentConsentTexts(req, req.document, lang);
  const hash = req.purpose === 'sign-hash' && req.hashHex ? shortHash(req.hashHex) : '';
  const alg = clean(req.hashAlgorithm ?? '', 12);
  const make = (l: Lang): string => {
    const asks = t('dialog.asks', l, { site: site(req.origin, l), purpose: t(`dialog.purpose.${req.purpose}`, l) });
    // The Vietnamese part shows the whole hash; the English one its ends, to fit one Assuan line.
    const hashLine = hash ? t('dialog.hash', l, { alg, hash: l === 'vi' ? hash : `${hash.slice(0, 8)}…${hash.slice(-8)}` }) : '';
    if (l === 'en') return [`${asks}${hashLine ? `, ${hashLine},` : ''} ${certificateLines(req.certificate, l)[0]}`, t('dialog.only-now', l)].join('\n');
    return [asks, hashLine, ...certificateLines(req.certificate, l), t('dialog.only-now', l)].filter(Boolean).join('\n');
  };
  return { ...buttons(lang, 'dialog.button.allow', 'dialog.button.cancel'), desc: both(lang, make) };
}

/** A document's consent: who asks, then the document as the bridge read it, then the certificate. */
function documentConsentTexts(req: ConsentRequest, doc: NonNullable<ConsentRequest['document']>, lang: Lang): DialogTexts {
  const make = (l: Lang): string => [site(req.origin, l), ...documentConsentLines(doc, req.certificate, l, clean), t('dialog.only-now', l)].join('\n');
  return { ...buttons(lang, 'dialog.button.allow', 'dialog.button.cancel'), desc: both(lang, make) };
}

/** One page of the certificate chooser: certificate `index` of n, with Use / Next / Cancel. An
 * unusable certificate is shown with its reason and only Next / Cancel. */
export function chooseTexts(req: ChooseCertificateRequest, index: number, lang: Lang = 'vi'): DialogTexts {
  const c = req.certificates[index]!;
  const make = (l: Lang): string => {
    const asks = t('dialog.asks', l, { site: site(req.origin, l), purpose: t(`dialog.purpose.${req.purpose}`, l) });
    const page = t('dialog.choose', l, { i: index + 1, n: req.certificates.length });
    const why = c.unusable ? t('dialog.choose.unusable', l, { reason: clean(c.unusable[l], 160) }) : '';
    if (l === 'en') return [`${asks}. ${page} ${certificateLines(c, l)[0]}`, why].filter(Boolean).join('\n');
    return [`${asks} ${page}`, ...certificateLines(c, l), why].filter(Boolean).join('\n');
  };
  if (c.unusable) return { ...buttons(lang, 'dialog.button.next', 'dialog.button.cancel'), desc: both(lang, make) };
  return { ...buttons(lang, 'dialog.button.use', 'dialog.button.cancel'), notOk: t('dialog.button.next', lang), desc: both(lang, make) };
}

/** The retry warning under the PIN (or password) field, or undefined on the first attempt. */
export function pinErrorText(err: PinError | undefined, lang: Lang = 'vi', secretKind: PinRequest['secretKind'] = 'pin'): string | undefined {
  if (!err) return undefined;
  if (secretKind === 'password') return both(lang, (l) => t('dialog.password.incorrect', l));
  const n = typeof err.retriesLeft === 'number' ? err.retriesLeft : undefined;
  const key: DialogTextKey = err.kind === 'final-try' || n === 1 ? 'dialog.pin.final-try'
    : n !== undefined && n > 1 ? (err.kind === 'count-low' ? 'dialog.pin.retries-count-low' : 'dialog.pin.retries')
      : err.kind === 'count-low' ? 'dialog.pin.count-low' : 'dialog.pin.incorrect';
  return both(lang, (l) => t(key, l, { n }));
}

export function pinTexts(req: PinRequest, lang: Lang = 'vi'): DialogTexts {
  const file = req.secretKind === 'password';
  const vars = { label: clean(req.tokenLabel, 64), name: clean(req.certificateName, 80), origin: originLine(req.origin) };
  return {
    ...buttons(lang, 'dialog.button.cancel', 'dialog.button.cancel'),
    ok: 'OK',
    desc: both(lang, (l) => t(file ? 'dialog.password' : 'dialog.pin', l, vars)),
    prompt: t(file ? 'dialog.password.prompt' : 'dialog.pin.prompt', lang),
    error: pinErrorText(req.error, lang, req.secretKind),
  };
}

export function originTexts(origin: string, lang: Lang = 'vi'): DialogTexts {
  return { ...buttons(lang, 'dialog.button.permit', 'dialog.button.deny'), desc: both(lang, (l) => t('dialog.origin', l, { site: site(origin, l) })) };
}

/**
 * The grant to sign hashes the user cannot see. It says plainly what is at stake: such a
 * signature can be a login proof for another site.
 */
export function rawSigningTexts(origin: string, lang: Lang = 'vi'): DialogTexts {
  const domain = displayOrigin(origin).site;
  return { ...buttons(lang, 'dialog.button.permit', 'dialog.button.deny'), desc: both(lang, (l) => t('dialog.raw-grant', l, { site: site(origin, l), domain })) };
}
