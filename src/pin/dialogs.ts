// The dialogs the core service asks for: consent, PIN (with retry warnings), first-time origin
// approval. Each dialog is one short-lived pinentry process; dialogs run one at a time so two
// portal tabs can never stack PIN prompts on top of each other.
import { KysoError } from '../errors.js';
import type { Lang } from '../i18n/messages.js';
import { AssuanClient, AssuanError, missingPinentry } from './assuan.js';
import { controllingTty, findPinentry, hasDisplay, isTerminalPinentry, sessionEnv } from './discovery.js';
import type { ChooseCertificateRequest, ConsentRequest, DialogTexts, PinRequest } from './texts.js';

/** The dialog texts (and the public-suffix list behind the origin line) load with the first dialog, not at start. */
let textsModule: Promise<typeof import('./texts.js')> | undefined;
const texts = () => (textsModule ??= import('./texts.js'));

export const DEFAULT_DIALOG_TIMEOUT_MS = 2 * 60 * 1000;

// gpg-error codes (without the source part) that pinentry returns.
const GPG_ERR_TIMEOUT = 62;
const GPG_ERR_CANCELED = 99;
const GPG_ERR_NOT_CONFIRMED = 114;
const GPG_ERR_FULLY_CANCELED = 198;
const GPG_ERR_ASS_CANCELED = 277;
const CANCEL_CODES = new Set([GPG_ERR_CANCELED, GPG_ERR_NOT_CONFIRMED, GPG_ERR_FULLY_CANCELED, GPG_ERR_ASS_CANCELED]);

export interface PinentryDialogsOptions {
  /** `--pinentry PROGRAM`; default: discovered from the session (see findPinentry). */
  program?: string;
  /** Per-dialog limit; default 2 minutes. */
  timeoutMs?: number;
  lang?: Lang;
}

export interface DialogCallOptions {
  /** Abort the dialog (client went away, token removed): the process is killed. */
  signal?: AbortSignal;
}

export class PinentryDialogs {
  private program: string | undefined;
  private readonly explicit: string | undefined;
  /** The environment the program was chosen for: chosen again only when that changes. */
  private programEnv: NodeJS.ProcessEnv = process.env;
  private readonly timeoutMs: number;
  private readonly lang: Lang;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: PinentryDialogsOptions = {}) {
    this.explicit = opts.program;
    this.program = findPinentry(opts.program);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_DIALOG_TIMEOUT_MS;
    this.lang = opts.lang ?? 'vi';
  }

  /** The program that will be run, or undefined when none was found. */
  get pinentryProgram(): string | undefined {
    return this.program;
  }

  /** Consent to authenticate/sign. Resolves when allowed; throws USER_CANCELLED or TIMEOUT. */
  async confirm(req: ConsentRequest, call: DialogCallOptions = {}): Promise<void> {
    const { consentTexts } = await texts();
    await this.serial(() => this.run(consentTexts(req, this.lang), 'CONFIRM', call));
  }

  /** Ask the PIN. The value goes to the caller only: it is never logged or kept here. */
  async getPin(req: PinRequest, call: DialogCallOptions = {}): Promise<string> {
    const { pinTexts } = await texts();
    return this.serial(() => this.run(pinTexts(req, this.lang), 'GETPIN', call));
  }

  /** First-time "allow this site?": true = allowed, false = denied/cancelled; throws TIMEOUT. */
  async confirmOrigin(origin: string, call: DialogCallOptions = {}): Promise<boolean> {
    const { originTexts } = await texts();
    return this.yesNo(originTexts(origin, this.lang), call);
  }

  /** The warned grant to sign hashes the user cannot see; same answers as confirmOrigin. */
  async confirmRawSigning(origin: string, call: DialogCallOptions = {}): Promise<boolean> {
    const { rawSigningTexts } = await texts();
    return this.yesNo(rawSigningTexts(origin, this.lang), call);
  }

  private async yesNo(texts: DialogTexts, call: DialogCallOptions): Promise<boolean> {
    try {
      await this.serial(() => this.run(texts, 'CONFIRM', call));
      return true;
    } catch (e) {
      if (e instanceof KysoError && e.code === 'USER_CANCELLED') return false;
      throw e;
    }
  }

  /**
   * Pick one of several certificates (and consent with it): one page per certificate with
   * Use / Next / Cancel (pinentry's OK / NOTOK / CANCEL buttons), starting at `req.start`. An
   * unusable certificate's page shows why, with Next / Cancel only. Returns the chosen index.
   */
  async chooseCertificate(req: ChooseCertificateRequest, call: DialogCallOptions = {}): Promise<number> {
    const n = req.certificates.length;
    if (!req.certificates.some((c) => !c.unusable)) throw new KysoError('CERTIFICATE_NOT_FOUND');
    // A pinentry with no way to show a dialog answers "not confirmed" at once, forever: cap the rounds.
    const maxPages = Math.max(4 * n, 12);
    const start = req.start ?? 0;
    const { chooseTexts } = await texts();
    return this.serial(async () => {
      for (let page = 0; page < maxPages; page++) {
        const index = (start + page) % n;
        const unusable = !!req.certificates[index]!.unusable;
        try {
          await this.run(chooseTexts(req, index, this.lang), 'CONFIRM', call, false);
          if (!unusable) return index; // on an unusable page OK means Next
        } catch (e) {
          if (!(e instanceof AssuanError && e.errCode === GPG_ERR_NOT_CONFIRMED)) throw mapError(e);
        }
      }
      throw new KysoError('USER_CANCELLED', {}, 'no certificate chosen');
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One dialog in one pinentry process. `map` false: Assuan errors reach the caller raw. */
  private async run(t: DialogTexts, action: 'CONFIRM' | 'GETPIN', call: DialogCallOptions, map = true): Promise<string> {
    const env = sessionEnv();
    // Not chosen by the user: look again with the session as it is now (the desktop may have
    // come up after the daemon, e.g. under the systemd user manager).
    if (!this.explicit && (env !== this.programEnv || !this.program)) {
      this.program = findPinentry(undefined, { env }) ?? this.program;
      this.programEnv = env;
    }
    if (!this.program) throw missingPinentry(undefined);
    // Aborted while waiting for an earlier dialog: never show this one.
    if (call.signal?.aborted) throw call.signal.reason instanceof KysoError ? call.signal.reason : new KysoError('USER_CANCELLED', {}, 'dialog aborted');
    const tty = controllingTty(env);
    // Without a terminal pinentry-tty/-curses answer "not confirmed" at once, which would look
    // like the user said no: say what is wrong instead.
    if (!tty && isTerminalPinentry(this.program)) {
      throw new KysoError('INTERNAL', { pinentry: this.program }, `${this.program} needs a terminal but the bridge has none (set GPG_TTY, or install a graphical one: apt-get install pinentry-gnome3)`);
    }
    const args: string[] = [];
    if (hasDisplay(env) && env.DISPLAY) args.push('--display', env.DISPLAY);
    if (tty) args.push('--ttyname', tty);
    const client = await AssuanClient.connect(this.program, { args, env, timeoutMs: this.timeoutMs, signal: call.signal });
    try {
      await optional(client, 'OPTION', `lc-ctype=${utf8Locale(env)}`);
      if (tty) await optional(client, 'OPTION', `ttyname=${tty}`);
      if (env.TERM) await optional(client, 'OPTION', `ttytype=${env.TERM}`);
      if (env.DISPLAY) await optional(client, 'OPTION', `display=${env.DISPLAY}`);
      // No password cache: a PIN is typed by the user each time, never replayed.
      await optional(client, 'SETKEYINFO', '--clear');
      await client.command('SETTITLE', t.title);
      await client.command('SETDESC', t.desc);
      if (t.prompt) await client.command('SETPROMPT', t.prompt);
      if (t.error) await client.command('SETERROR', t.error);
      await client.command('SETOK', t.ok);
      await client.command('SETCANCEL', t.cancel);
      if (t.notOk) await client.command('SETNOTOK', t.notOk);
      // pinentry's own timer fires first and closes its window cleanly; ours kills it anyway.
      await optional(client, 'SETTIMEOUT', String(Math.max(1, Math.floor(this.timeoutMs / 1000))));
      const reply = await client.command(action);
      return action === 'GETPIN' ? reply.data : '';
    } catch (e) {
      throw map ? mapError(e) : e;
    } finally {
      await client.close();
    }
  }
}

/** Commands an older or minimal pinentry may refuse: their absence changes nothing essential. */
async function optional(client: AssuanClient, cmd: string, arg: string): Promise<void> {
  try {
    await client.command(cmd, arg);
  } catch (e) {
    if (!(e instanceof AssuanError)) throw e;
  }
}

function utf8Locale(env: NodeJS.ProcessEnv): string {
  const l = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(l) ? l : 'C.UTF-8';
}

function mapError(e: unknown): unknown {
  if (!(e instanceof AssuanError)) return e;
  if (CANCEL_CODES.has(e.errCode)) return new KysoError('USER_CANCELLED');
  if (e.errCode === GPG_ERR_TIMEOUT) return new KysoError('TIMEOUT', {}, 'pinentry timed out');
  return new KysoError('INTERNAL', { assuan: e.code }, `pinentry error ${e.code} ${e.text}`);
}
