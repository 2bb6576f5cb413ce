// `kyso-bridge doctor`: what a finding is and what every check gets. Messages and fixes are
// written for a non-technical user, Vietnamese by default (English with --lang en).
import type { Lang } from '../i18n/messages.js';
import type { RevocationPolicy } from '../certs/index.js';
import type { ControlStatus } from '../control/protocol.js';
import type { TokenView } from '../inspect/token-view.js';
import type { TokenJson } from '../types.js';
import type { StartHow } from './start-command.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable machine id, e.g. "usb.no-driver.096e:0807". */
  id: string;
  severity: Severity;
  message: string;
  /** What to do, in plain words; empty when nothing needs doing. */
  fix: string;
}

export interface DoctorOptions {
  lang: Lang;
  /** Daemon port to probe. */
  port: number;
  modules: string[];
  configFile?: string;
  trustAnchorFiles: string[];
  revocation: RevocationPolicy;
  /** Directory of the daemon's config + TLS material. */
  configDir: string;
  pinentry?: string;
  /** --module given: read these modules directly, not the daemon's tokens. */
  localTokens?: boolean;
  /** The user chose this config explicitly (--config): only a daemon using it counts. */
  explicitConfig?: boolean;
  controlPath?: string;
}

export interface DoctorContext extends DoctorOptions {
  /** The running daemon (over the control socket): its config dir, TLS, tokens and validation. */
  daemon?: ControlStatus;
  /** How the user starts the bridge, for fixes that name the right command. */
  start: StartHow;
  /** Opened once by the module check (the daemon's view or a direct read), read by later checks. */
  view?: TokenView;
  /** The tokens, read once from the view. */
  tokenList?: TokenJson[];
}

export type Check = (ctx: DoctorContext) => Promise<Finding[]>;

/** Picks the text of the report's language. */
export function tr(lang: Lang, vi: string, en: string): string {
  return lang === 'en' ? en : vi;
}

export function finding(ctx: { lang: Lang }, id: string, severity: Severity, text: { vi: string; en: string }, fix: { vi: string; en: string } = { vi: '', en: '' }): Finding {
  return { id, severity, message: tr(ctx.lang, text.vi, text.en), fix: tr(ctx.lang, fix.vi, fix.en) };
}
