// Attacks on what the user sees: a long origin must not hide its real site, an IDN host shows
// its punycode, the raw-signing grant warns about log-ins elsewhere, dates are Vietnam time,
// and a connection's abort signal does not collect a listener per dialog.
import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PinentryDialogs } from '../src/pin/dialogs.js';
import { displayOrigin } from '../src/pin/origin-display.js';
import { consentTexts } from '../src/pin/texts.js';
import { createFakePinentry, type FakePinentry } from './support/fake-pinentry.js';

const LONG = `https://portal.acc.test.${'a'.repeat(63)}.${'b'.repeat(40)}.evil.test`;
const cert = { name: 'NGUYỄN VĂN AN', citizenId: '001203004005', caName: 'VNPT-CA', validUntil: '2027-11-26T20:30:00Z' };

let fake: FakePinentry;
beforeAll(() => {
  fake = createFakePinentry(mkdtempSync(join(tmpdir(), 'kyso-sec-dialogs-')));
  fake.install();
});
beforeEach(() => fake.clearTranscript());

const descs = () => fake.transcript().filter((e) => e.cmd === 'SETDESC').map((e) => e.text);

describe('the site a dialog names', () => {
  it('keeps the registrable domain of a long host whole and shortens only the left part', () => {
    const d = displayOrigin(LONG);
    expect(d.site).toBe('evil.test');
    expect(d.origin).toMatch(/^https:\/\/….*\.evil\.test$/);
    expect(d.origin.length).toBeLessThan(60);
    for (const lang of ['vi', 'en'] as const) {
      const t = consentTexts({ origin: LONG, purpose: 'sign-hash', certificate: cert, hashAlgorithm: 'SHA-256', hashHex: 'ab'.repeat(32) }, lang);
      expect(t.desc).toContain('.evil.test');
      expect(t.desc).toContain(lang === 'vi' ? 'tên miền: evil.test' : 'site: evil.test');
    }
  });

  it('uses the public suffix list: gov.vn, co.uk and private suffixes are suffixes, an IP is itself', () => {
    expect(displayOrigin('https://a.b.dichvucong.gov.vn').site).toBe('dichvucong.gov.vn');
    expect(displayOrigin('https://shop.example.co.uk:8443').origin).toBe('https://shop.example.co.uk:8443');
    expect(displayOrigin('https://evil.github.io').site).toBe('evil.github.io');
    expect(displayOrigin('http://127.0.0.1:8080').site).toBe('127.0.0.1');
  });

  it('shows an IDN host in Unicode with its punycode beside it', () => {
    expect(displayOrigin('https://xn--dchvcng-x0a0689dsha.vn')).toEqual({ origin: 'https://dịchvụcông.vn', site: 'dịchvụcông.vn', punycode: 'https://xn--dchvcng-x0a0689dsha.vn' });
    expect(displayOrigin('https://dichvucong.gov.vn').punycode).toBeUndefined();
  });

  it('prints dates in Vietnam time with the zone named, whatever the machine zone', () => {
    const vi = consentTexts({ origin: 'https://a.vn', purpose: 'auth', certificate: cert }, 'vi').desc;
    expect(vi).toContain('27/11/2027 03:30 (giờ Việt Nam)'); // 20:30 UTC is 03:30 the next day in UTC+7
    expect(consentTexts({ origin: 'https://a.vn', purpose: 'auth', certificate: cert }, 'en').desc).toContain('2027-11-27 03:30 Vietnam time (UTC+7)');
  });
});

describe('the raw-signing grant dialog', () => {
  it('names the site and warns, in Vietnamese and English, that the signature can log in elsewhere', async () => {
    fake.setScript([{ confirm: 'ok' }, { confirm: 'cancel' }]);
    const d = new PinentryDialogs({ program: fake.program });
    expect(await d.confirmRawSigning(LONG)).toBe(true);
    expect(await d.confirmRawSigning('https://b.example')).toBe(false);
    const [first] = descs();
    expect(first).toContain('evil.test');
    expect(first).toContain('đăng nhập với danh nghĩa của bạn trên các trang web khác');
    expect(first).toContain('log in as you on other sites');
  });
});

describe('abort listeners', () => {
  it('50 dialogs on one connection signal leave no listener behind', async () => {
    fake.setScript(Array.from({ length: 50 }, () => ({ confirm: 'ok' as const })));
    const d = new PinentryDialogs({ program: fake.program });
    const ac = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      for (let i = 0; i < 50; i++) await d.confirm({ origin: 'https://a.vn', purpose: 'auth', certificate: cert }, { signal: ac.signal });
    } finally {
      process.off('warning', onWarning);
    }
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
