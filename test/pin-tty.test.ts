// The real pinentry-tty, driven through a pseudo-terminal: a small Python "user" reads the screen
// and types answers. Proves our command sequence and texts work with GnuPG's own program.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PinentryDialogs } from '../src/pin/dialogs.js';
import { isKysoError } from '../src/errors.js';

const PINENTRY_TTY = '/usr/bin/pinentry-tty';
const canRun = existsSync(PINENTRY_TTY) && spawnSync('python3', ['-c', 'import pty']).status === 0;

// Opens a pty, prints the slave's path, echoes the screen to stdout, and types the next answer
// whenever the screen waits at a prompt (ends with ':' or '?').
const USER = `
import os, sys, select, time
m, s = os.openpty()
sys.stdout.write(os.ttyname(s) + "\\n"); sys.stdout.flush()
answers = sys.argv[1:]
buf = b''
end = time.time() + 30
while time.time() < end:
    r, _, _ = select.select([m], [], [], 0.2)
    if not r:
        continue
    d = os.read(m, 4096)
    buf += d
    sys.stdout.buffer.write(d); sys.stdout.flush()
    t = buf.rstrip()
    if answers and (t.endswith(b':') or t.endswith(b'?')):
        time.sleep(0.05)
        os.write(m, answers.pop(0).encode() + b'\\n')
        buf = b''
`;

interface User {
  screen(): string;
  proc: ChildProcess;
}

let user: User | undefined;
const savedTty = process.env.GPG_TTY;
afterEach(() => {
  user?.proc.kill();
  user = undefined;
  if (savedTty === undefined) delete process.env.GPG_TTY;
  else process.env.GPG_TTY = savedTty;
});

/** Polls until `ok()` holds; gives up after 10 s (the assertion after it then fails with the screen). */
async function waitFor(ok: () => boolean): Promise<void> {
  for (const end = Date.now() + 10_000; !ok() && Date.now() < end;) await new Promise((r) => setTimeout(r, 25));
}

async function startUser(...answers: string[]): Promise<User> {
  const proc = spawn('python3', ['-c', USER, ...answers], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const tty = await new Promise<string>((resolve, reject) => {
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl > 0) resolve(out.slice(0, nl));
    });
    proc.on('error', reject);
  });
  process.env.GPG_TTY = tty; // the GnuPG convention: the terminal dialogs are drawn on
  return { proc, screen: () => out };
}

describe.runIf(canRun)('PinentryDialogs with the real pinentry-tty', () => {
  it('asks the PIN with the retry warning and returns what was typed', async () => {
    user = await startUser('12%34 56');
    const pin = await new PinentryDialogs({ program: PINENTRY_TTY, timeoutMs: 20_000 }).getPin({
      tokenLabel: 'VNPT-TOKEN-01', certificateName: 'NGUYỄN VĂN AN', origin: 'https://dichvucong.gov.vn', error: { kind: 'final-try', retriesLeft: 1 },
    });
    expect(pin).toBe('12%34 56');
    await waitFor(() => user!.screen().includes('Mã PIN / PIN:'));
    const screen = user.screen();
    expect(screen).toContain('Nhập mã PIN của thiết bị ký số «VNPT-TOKEN-01»');
    expect(screen).toContain('NGUYỄN VĂN AN');
    expect(screen).toContain('Còn 1 lần thử — nhập sai nữa thiết bị sẽ bị khoá.');
    expect(screen).toContain('Mã PIN / PIN:');
  });

  it('consent: "a" allows, "c" cancels → USER_CANCELLED', async () => {
    user = await startUser('a', 'c');
    const d = new PinentryDialogs({ program: PINENTRY_TTY, timeoutMs: 20_000 });
    const req = {
      origin: 'https://dichvucong.gov.vn', purpose: 'auth' as const,
      certificate: { name: 'NGUYỄN VĂN AN', taxCode: '0100686209', caName: 'VNPT-CA', validUntil: '2027-11-26T12:00:00Z' },
    };
    await d.confirm(req);
    await expect(d.confirm(req)).rejects.toSatisfy((e) => isKysoError(e, 'USER_CANCELLED'));
    await waitFor(() => user!.screen().includes('MST: 0100686209'));
    const screen = user.screen();
    expect(screen).toContain('Trang web https://dichvucong.gov.vn');
    expect(screen).toContain('MST: 0100686209');
  });

  it('certificate chooser: "n" shows the next one, "u" uses it', async () => {
    user = await startUser('n', 'u');
    const certificates = [
      { name: 'NGUYỄN VĂN AN', caName: 'VNPT-CA', validUntil: '2027-11-26T12:00:00Z' },
      { name: 'CÔNG TY TNHH AN BÌNH', taxCode: '0312345678', caName: 'Viettel-CA', validUntil: '2028-01-15T12:00:00Z' },
    ];
    const d = new PinentryDialogs({ program: PINENTRY_TTY, timeoutMs: 20_000 });
    expect(await d.chooseCertificate({ origin: 'https://dichvucong.gov.vn', purpose: 'auth', certificates })).toBe(1);
    // The pty's echo may arrive after pinentry has answered: wait for the text, do not race it.
    await waitFor(() => user!.screen().includes('CÔNG TY TNHH AN BÌNH'));
    expect(user.screen()).toContain('CÔNG TY TNHH AN BÌNH');
  });

  it('nobody at the terminal → TIMEOUT', async () => {
    user = await startUser();
    const t0 = Date.now();
    await expect(new PinentryDialogs({ program: PINENTRY_TTY, timeoutMs: 1500 }).confirmOrigin('https://a.gov.vn')).rejects.toSatisfy((e) => isKysoError(e, 'TIMEOUT'));
    expect(Date.now() - t0).toBeLessThan(6000);
  });
});
