// PinentryDialogs end to end with the scripted fake pinentry: what the user sees, what comes back.
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PinentryDialogs } from '../src/pin/dialogs.js';
import { controllingTty, findPinentry } from '../src/pin/discovery.js';
import { isKysoError } from '../src/errors.js';
import type { ConsentRequest } from '../src/pin/texts.js';
import type { Dialogs } from '../src/core/dialogs.js';
import { createFakePinentry, type FakePinentry } from './support/fake-pinentry.js';

const consent: ConsentRequest = {
  origin: 'https://dichvucong.gov.vn',
  purpose: 'auth',
  certificate: { name: 'NGUYỄN VĂN AN', taxCode: '0100686209-199', citizenId: '001203004005', caName: 'VNPT-CA SHA-256', validUntil: '2027-11-26T12:00:00Z' },
};

let fake: FakePinentry;
beforeAll(() => {
  fake = createFakePinentry(mkdtempSync(join(tmpdir(), 'kyso-dialogs-')));
  fake.install(); // the daemon's environment is what pinentry inherits
});
beforeEach(() => fake.clearTranscript());

function said(cmd: string, pid?: number): string[] {
  return fake.transcript().filter((e) => e.cmd === cmd && (pid === undefined || e.pid === pid)).map((e) => e.text);
}

describe('PinentryDialogs', () => {
  it('consent: shows origin, purpose, certificate, MST, CCCD, CA and expiry; OK resolves', async () => {
    fake.setScript([{ confirm: 'ok' }]);
    await new PinentryDialogs({ program: fake.program }).confirm(consent);
    const [desc] = said('SETDESC');
    expect(desc).toContain('https://dichvucong.gov.vn');
    expect(desc).toContain('bằng chứng đăng ký/đăng nhập');
    expect(desc).toContain('registration/login proof');
    expect(desc).toContain('NGUYỄN VĂN AN');
    expect(desc).toContain('MST: 0100686209-199');
    expect(desc).toContain('CCCD: 001203004005');
    expect(desc).toContain('VNPT-CA SHA-256');
    expect(desc).toContain('26/11/2027');
    expect(desc.indexOf('Trang web')).toBeLessThan(desc.indexOf('asks to')); // Vietnamese first
    expect(said('SETOK')).toEqual(['Đồng ý / _Allow']);
    expect(said('SETTITLE')[0]).toContain('Chữ ký số');
    expect(said('OPTION').some((o) => o.startsWith('lc-ctype='))).toBe(true);
    expect(said('CONFIRM')).toHaveLength(1);
  });

  it('consent for sign-hash shows the hash and algorithm', async () => {
    fake.setScript([{ confirm: 'ok' }]);
    const hashHex = 'ab'.repeat(32);
    await new PinentryDialogs({ program: fake.program }).confirm({ ...consent, purpose: 'sign-hash', hashAlgorithm: 'SHA-256', hashHex });
    const [desc] = said('SETDESC');
    expect(desc).toContain('ký một giá trị băm');
    expect(desc).toContain('sign a hash');
    expect(desc).toContain(`(SHA-256): ${hashHex}`);
  });

  it('consent cancel / not confirmed → USER_CANCELLED', async () => {
    fake.setScript([{ confirm: 'cancel' }, { confirm: 'notok' }]);
    const d = new PinentryDialogs({ program: fake.program });
    await expect(d.confirm(consent)).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
    await expect(d.confirm(consent)).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
  });

  it('getPin returns the PIN; several dialogs in a row consume the script in order', async () => {
    fake.setScript([{ confirm: 'ok' }, { pin: '123456' }, { pin: '000000' }, { pin: 'cancel' }]);
    const d = new PinentryDialogs({ program: fake.program });
    await d.confirm(consent);
    const req = { tokenLabel: 'VNPT-TOKEN-01', certificateName: 'NGUYỄN VĂN AN', origin: 'https://dichvucong.gov.vn' };
    expect(await d.getPin(req)).toBe('123456');
    expect(await d.getPin({ ...req, error: { kind: 'final-try', retriesLeft: 1 } })).toBe('000000');
    await expect(d.getPin(req)).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
    expect(fake.consumed()).toBe(4);
    const descs = said('SETDESC');
    expect(descs[1]).toContain('Nhập mã PIN của thiết bị ký số «VNPT-TOKEN-01»');
    expect(descs[1]).toContain('Enter the PIN of token «VNPT-TOKEN-01»');
    const errors = said('SETERROR');
    expect(errors).toHaveLength(1); // only the retry had a warning
    expect(errors[0]).toContain('Mã PIN không đúng. Còn 1 lần thử — nhập sai nữa thiết bị sẽ bị khoá.');
    expect(errors[0]).toContain('1 try left');
    expect(said('SETPROMPT')[0]).toContain('Mã PIN');
    // The PIN is never echoed back into anything the dialog process receives.
    expect(JSON.stringify(fake.transcript().filter((e) => e.cmd !== 'ANSWER'))).not.toContain('123456');
  });

  it('count-low without a number warns that the token will lock', async () => {
    fake.setScript([{ pin: '1111' }]);
    await new PinentryDialogs({ program: fake.program }).getPin({ tokenLabel: 'T', certificateName: 'C', origin: 'https://a.gov.vn', error: { kind: 'count-low', retriesLeft: null } });
    expect(said('SETERROR')[0]).toContain('Mã PIN không đúng. Thiết bị sắp bị khoá nếu tiếp tục nhập sai.');
  });

  it('a dialog nobody answers → TIMEOUT within the configured time', async () => {
    fake.setScript([{ hang: true }]);
    const t0 = Date.now();
    await expect(new PinentryDialogs({ program: fake.program, timeoutMs: 1200 }).getPin({ tokenLabel: 'T', certificateName: 'C', origin: 'https://a.gov.vn' })).rejects.toSatisfy((e) => isKysoError(e, 'TIMEOUT'));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(said('SETTIMEOUT')).toEqual(['1']);
  });

  it("pinentry's own timeout → TIMEOUT", async () => {
    fake.setScript([{ timeout: true }]);
    await expect(new PinentryDialogs({ program: fake.program }).confirm(consent)).rejects.toSatisfy((e) => isKysoError(e, 'TIMEOUT'));
  });

  it('an aborted dialog is killed', async () => {
    fake.setScript([{ hang: true }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(new PinentryDialogs({ program: fake.program }).confirm(consent, { signal: ac.signal })).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
  });

  it('a dialog aborted while queued behind another is never shown', async () => {
    fake.setScript([{ pin: '1' }]);
    const d = new PinentryDialogs({ program: fake.program });
    const ac = new AbortController();
    const req = { tokenLabel: 'T', certificateName: 'C', origin: 'https://a.gov.vn' };
    const first = d.getPin(req);
    const second = d.getPin(req, { signal: ac.signal });
    ac.abort();
    expect(await first).toBe('1');
    await expect(second).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
    expect(fake.transcript().filter((e) => e.cmd === 'START')).toHaveLength(1);
  });

  it('confirmOrigin: allow → true, deny → false, with the origin in the text', async () => {
    fake.setScript([{ confirm: 'ok' }, { confirm: 'cancel' }]);
    const d = new PinentryDialogs({ program: fake.program });
    expect(await d.confirmOrigin('https://thuedientu.gdt.gov.vn')).toBe(true);
    expect(await d.confirmOrigin('https://evil.example')).toBe(false);
    const descs = said('SETDESC');
    expect(descs[0]).toContain('Trang web https://thuedientu.gdt.gov.vn (tên miền: gdt.gov.vn) muốn dùng thiết bị ký số');
    expect(descs[1]).toContain('https://evil.example');
    expect(said('SETOK')[0]).toBe('Cho phép / _Allow');
    expect(said('SETCANCEL')[0]).toBe('Từ chối / _Deny');
  });

  it('concurrent requests are shown one after the other', async () => {
    fake.setScript([{ pin: '1' }, { pin: '2' }]);
    const d = new PinentryDialogs({ program: fake.program });
    const req = { tokenLabel: 'T', certificateName: 'C', origin: 'https://a.gov.vn' };
    expect(await Promise.all([d.getPin(req), d.getPin(req)])).toEqual(['1', '2']);
    const starts = fake.transcript().map((e) => e.cmd).filter((c) => c === 'START' || c === 'BYE');
    expect(starts).toEqual(['START', 'BYE', 'START', 'BYE']);
  });

  it('a missing program → INTERNAL naming it and how to install one', async () => {
    const err = await new PinentryDialogs({ program: 'pinentry-does-not-exist' }).confirm(consent).catch((e: unknown) => e);
    expect(isKysoError(err, 'INTERNAL')).toBe(true);
    expect((err as Error).message).toContain('pinentry-does-not-exist');
    expect((err as Error).message).toContain('apt-get install pinentry-gnome3');
  });

  it('control characters in page/certificate texts cannot forge dialog lines', async () => {
    fake.setScript([{ confirm: 'ok' }]);
    await new PinentryDialogs({ program: fake.program }).confirm({ ...consent, certificate: { ...consent.certificate, name: 'A\nCA: FAKE\u202e' } });
    expect(said('SETDESC')[0]).toContain('Chứng thư số: A CA: FAKE\n');
  });

  it('English-only dialogs with lang en', async () => {
    fake.setScript([{ confirm: 'ok' }]);
    await new PinentryDialogs({ program: fake.program, lang: 'en' }).confirm(consent);
    const [desc] = said('SETDESC');
    expect(desc).toContain('registration/login proof');
    expect(desc).not.toContain('Trang web');
  });
});

describe('chooseCertificate', () => {
  const certificates = [
    consent.certificate,
    { name: 'CÔNG TY TNHH AN BÌNH', taxCode: '0312345678', caName: 'Viettel-CA', validUntil: '2028-01-15T12:00:00Z' },
  ];
  const req = { origin: 'https://dichvucong.gov.vn', purpose: 'auth' as const, certificates };

  it('Next moves to the following certificate, Use picks it', async () => {
    fake.setScript([{ confirm: 'notok' }, { confirm: 'ok' }]);
    const d: Dialogs = new PinentryDialogs({ program: fake.program }); // satisfies the core's interface
    expect(await d.chooseCertificate(req)).toBe(1);
    const descs = said('SETDESC');
    expect(descs[0]).toContain('Chọn chứng thư số (1/2)');
    expect(descs[0]).toContain('NGUYỄN VĂN AN');
    expect(descs[1]).toContain('(2/2)');
    expect(descs[1]).toContain('CÔNG TY TNHH AN BÌNH');
    expect(descs[1]).toContain('MST: 0312345678');
    expect(descs[1]).toContain('Certificate 2 of 2');
    expect(said('SETNOTOK')[0]).toBe('Chứng thư khác / _Next');
    expect(said('SETOK')[0]).toBe('Dùng chứng thư này / _Use');
  });

  it('wraps around; Cancel → USER_CANCELLED; endless Next gives up', async () => {
    fake.setScript([{ confirm: 'notok' }, { confirm: 'notok' }, { confirm: 'ok' }, { confirm: 'cancel' }]);
    const d = new PinentryDialogs({ program: fake.program });
    expect(await d.chooseCertificate(req)).toBe(0);
    await expect(d.chooseCertificate(req)).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
    fake.setScript(Array.from({ length: 20 }, () => ({ confirm: 'notok' as const })));
    await expect(d.chooseCertificate(req)).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
    expect(fake.consumed()).toBe(12);
    await expect(d.chooseCertificate({ ...req, certificates: [] })).rejects.toSatisfy((e) => isKysoError(e, 'CERTIFICATE_NOT_FOUND'));
  });
});

describe('findPinentry', () => {
  const have = (...names: string[]) => (n: string) => (names.includes(n) ? `/usr/bin/${n}` : undefined);
  it('--pinentry wins', () => {
    expect(findPinentry('/opt/my-pinentry', { which: have() })).toBe('/opt/my-pinentry');
  });
  it('prefers graphical variants when there is a display', () => {
    const env = { DISPLAY: ':0' };
    expect(findPinentry(undefined, { env, ttyname: null, which: have('pinentry', 'pinentry-qt', 'pinentry-gnome3') })).toBe('/usr/bin/pinentry-gnome3');
    expect(findPinentry(undefined, { env, ttyname: null, which: have('pinentry', 'pinentry-qt') })).toBe('/usr/bin/pinentry-qt');
    expect(findPinentry(undefined, { env: { WAYLAND_DISPLAY: 'wayland-0' }, ttyname: null, which: have('pinentry', 'pinentry-tty') })).toBe('/usr/bin/pinentry');
  });
  it('terminal variants only with a terminal', () => {
    expect(findPinentry(undefined, { env: {}, ttyname: '/dev/pts/1', which: have('pinentry', 'pinentry-tty', 'pinentry-curses') })).toBe('/usr/bin/pinentry-curses');
    expect(findPinentry(undefined, { env: {}, ttyname: null, which: have('pinentry', 'pinentry-tty') })).toBeUndefined();
  });
  it('a terminal pinentry without a terminal is a clear error, not a silent "cancelled"', async () => {
    const saved = process.env.GPG_TTY;
    delete process.env.GPG_TTY;
    try {
      if (controllingTty() !== null) return; // this runner has a terminal
      const dir = mkdtempSync(join(tmpdir(), 'kyso-ttyless-'));
      symlinkSync(fake.program, join(dir, 'pinentry-tty'));
      const err = await new PinentryDialogs({ program: join(dir, 'pinentry-tty') }).confirm(consent).catch((e: unknown) => e);
      expect(isKysoError(err, 'INTERNAL')).toBe(true);
      expect((err as Error).message).toContain('needs a terminal');
    } finally {
      if (saved !== undefined) process.env.GPG_TTY = saved;
    }
  });

  it('PinentryDialogs without any program says how to install one', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.DISPLAY; delete process.env.WAYLAND_DISPLAY; delete process.env.GPG_TTY;
      process.env.PATH = '/nonexistent';
      const d = new PinentryDialogs({});
      if (d.pinentryProgram) return; // this runner has a controlling terminal and /dev/tty: fine either way
      const err = await d.confirm(consent).catch((e: unknown) => e);
      expect(isKysoError(err, 'INTERNAL')).toBe(true);
      expect((err as Error).message).toContain('no pinentry program found');
    } finally {
      process.env = saved;
    }
  });
});

describe('dialog texts and the Assuan line limit', () => {
  it('a realistic bilingual consent fits one line; an oversized one falls back to Vietnamese only', async () => {
    const { consentTexts } = await import('../src/pin/texts.js');
    const real = consentTexts({ ...consent, purpose: 'sign-hash', hashAlgorithm: 'SHA-256', hashHex: 'ab'.repeat(32), certificate: { ...consent.certificate, name: 'CÔNG TY TNHH THƯƠNG MẠI DỊCH VỤ NGUYỄN VĂN AN' } });
    expect(real.desc).toContain('sign a hash');
    expect(real.desc).toContain('tax code (MST) 0100686209-199');
    const huge = consentTexts({ ...consent, origin: 'https://' + 'dịch'.repeat(30) + '.gov.vn', certificate: { ...consent.certificate, name: 'NGUYỄN VĂN ĐỨC '.repeat(9), caName: 'CÔNG TY CỔ PHẦN CHỮ KÝ SỐ '.repeat(5) } });
    expect(huge.desc).toContain('Chỉ đồng ý nếu');
    expect(huge.desc).not.toContain('asks to');
  });
});
