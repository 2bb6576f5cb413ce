// Assuan escaping and real round trips: the scripted fake pinentry, and pinentry-tty if installed.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssuanClient, AssuanError } from '../src/pin/assuan.js';
import { ASSUAN_MAX_LINE, assuanCommandLine, assuanEscape, assuanUnescape } from '../src/pin/escape.js';
import { isKysoError } from '../src/errors.js';
import { createFakePinentry, type FakePinentry } from './support/fake-pinentry.js';

describe('Assuan escaping', () => {
  it('escapes %, CR, LF and control bytes, keeps UTF-8 text', () => {
    expect(assuanEscape('100%\r\nký số\t')).toBe('100%25%0D%0Aký số%09');
    expect(assuanUnescape('100%25%0D%0Aký số%09')).toBe('100%\r\nký số\t');
  });
  it('decodes UTF-8 sent as %XX bytes and leaves stray % alone', () => {
    expect(assuanUnescape('k%C3%BD %E2%80%94 5%')).toBe('ký — 5%');
    expect(assuanUnescape('%zz%4')).toBe('%zz%4');
  });
  it('round-trips arbitrary text', () => {
    const s = 'Mã PIN «TOKEN» %0A literal\n\r%%';
    expect(assuanUnescape(assuanEscape(s))).toBe(s);
  });
  it('keeps command lines within the Assuan limit, cutting at a character boundary', () => {
    const long = 'Nguyễn Văn Ánh\n'.repeat(200);
    const line = assuanCommandLine('SETDESC', long);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(ASSUAN_MAX_LINE);
    const text = assuanUnescape(line.slice('SETDESC '.length));
    expect(text.endsWith('…')).toBe(true);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
    expect(assuanCommandLine('CONFIRM')).toBe('CONFIRM');
  });
});

describe('AssuanClient with the fake pinentry', () => {
  let fake: FakePinentry;
  beforeAll(() => {
    fake = createFakePinentry(mkdtempSync(join(tmpdir(), 'kyso-assuan-')));
  });

  it('reads the greeting, sends escaped commands, gets D data back unescaped', async () => {
    fake.setScript([{ pin: '12%34\nx' }]);
    fake.clearTranscript();
    const c = await AssuanClient.connect(fake.program, { env: { ...process.env, ...fake.env }, timeoutMs: 10_000, args: ['--ttyname', '/dev/null'] });
    await c.command('SETDESC', 'Dòng 1\nDòng 2 100%');
    const r = await c.command('GETPIN');
    expect(r.data).toBe('12%34\nx');
    expect(r.status).toContain('PIN_REPEATED_NOT_USED');
    await c.close();
    const t = fake.transcript();
    expect(t[0]).toMatchObject({ cmd: 'START', args: ['--ttyname', '/dev/null'] });
    expect(t.find((e) => e.cmd === 'SETDESC')).toMatchObject({ text: 'Dòng 1\nDòng 2 100%', raw: 'Dòng 1%0ADòng 2 100%25' });
    expect(t.map((e) => e.cmd)).toContain('BYE');
  });

  it('turns ERR lines into AssuanError with the gpg-error code', async () => {
    fake.setScript([{ confirm: 'cancel' }]);
    const c = await AssuanClient.connect(fake.program, { env: { ...process.env, ...fake.env }, timeoutMs: 10_000 });
    const err = await c.command('CONFIRM').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssuanError);
    expect((err as AssuanError).code).toBe(83886179);
    expect((err as AssuanError).errCode).toBe(99);
    await c.close();
  });

  it('kills a hanging program after the timeout → TIMEOUT', async () => {
    fake.setScript([{ hang: true }]);
    const c = await AssuanClient.connect(fake.program, { env: { ...process.env, ...fake.env }, timeoutMs: 1500 });
    const t0 = Date.now();
    const err = await c.command('GETPIN').catch((e: unknown) => e);
    expect(isKysoError(err, 'TIMEOUT')).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
    await c.close();
  });

  it('a program that dies mid-dialog is an INTERNAL error naming it', async () => {
    fake.setScript([{ die: true }]);
    const c = await AssuanClient.connect(fake.program, { env: { ...process.env, ...fake.env }, timeoutMs: 10_000 });
    const err = await c.command('CONFIRM').catch((e: unknown) => e);
    expect(isKysoError(err, 'INTERNAL')).toBe(true);
    expect(String((err as Error).message)).toMatch(/fake-pinentry\.mjs.*exited unexpectedly/);
    await c.close();
  });

  it('reassembles lines split across reads, even inside a UTF-8 sequence; skips comments', async () => {
    // A stand-in server writing byte by byte: greeting, then for any command a comment,
    // a status line, a D line with raw UTF-8 and escapes, and OK.
    const server = `
      const out = (b) => new Promise((r) => process.stdout.write(b, () => setTimeout(r, 2)));
      const bytes = async (s) => { for (const b of Buffer.from(s)) await out(Buffer.from([b])); };
      bytes('OK hi\\n');
      process.stdin.once('data', () => bytes('# a comment\\nS PROGRESS 1\\r\\nD ký %25 s%E1%BB%91\\nOK\\n'));
    `;
    const c = await AssuanClient.connect(process.execPath, { args: ['-e', server], timeoutMs: 10_000 });
    const r = await c.command('GETPIN');
    expect(r.data).toBe('ký % số');
    expect(r.status).toEqual(['PROGRESS 1']);
    await c.close();
  });

  it('a missing program is a clear INTERNAL error with the install hint', async () => {
    const err = await AssuanClient.connect('/nonexistent/pinentry-gnome3', { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(isKysoError(err, 'INTERNAL')).toBe(true);
    expect((err as Error).message).toContain('/nonexistent/pinentry-gnome3');
    expect((err as Error).message).toContain('apt-get install pinentry-gnome3');
    expect((err as Error).message).toContain('pinentry-tty');
  });
});

describe.runIf(existsSync('/usr/bin/pinentry-tty'))('AssuanClient with the real pinentry-tty', () => {
  it('greets, accepts options and escaped texts, answers GETINFO', async () => {
    const c = await AssuanClient.connect('/usr/bin/pinentry-tty', { timeoutMs: 10_000 });
    await c.command('OPTION', 'lc-ctype=C.UTF-8');
    await c.command('SETDESC', 'Nhập mã PIN «TOKEN»\n100% an toàn');
    await c.command('SETERROR', 'Mã PIN không đúng.');
    const r = await c.command('GETINFO', 'version');
    expect(r.data).toMatch(/^\d+\.\d+/);
    const err = await c.command('OPTION', 'no-such-option=1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssuanError);
    await c.close();
  });
});
