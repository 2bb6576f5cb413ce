// Who may ask for what: three grants per origin, decided here for every way in.
// - login: tokens.list, certificates.list, auth.sign — given by the origin's first consent dialog;
// - sign-documents: content the bridge hashes and shows itself — given together with login;
// - sign-raw: hashes the user cannot see. Never implied by login: a raw signature over
//   SHA-256(origin B) ‖ SHA-256(nonce) is a login proof for site B, so only origins listed by the
//   user or the built-in portals hold it without the warned grant dialog.
import { KysoError } from '../errors.js';
import type { Dialogs } from './dialogs.js';

export const GRANTS = ['login', 'sign-documents', 'sign-raw'] as const;
export type Grant = (typeof GRANTS)[number];
export type GrantSource = 'builtin' | 'config' | 'dialog';

export interface GrantDecision { decision: 'allowed' | 'denied'; source: Exclude<GrantSource, 'builtin'>; updatedAt: string }

/** Where decisions live (SQLite in the daemon): read on every request, so a revoke from the CLI takes effect at once. */
export interface GrantStore {
  get(origin: string, grant: Grant): GrantDecision | undefined;
  set(origin: string, grants: readonly Grant[], decision: GrantDecision['decision'], source: GrantDecision['source']): void;
}

export interface GrantPolicyOptions {
  store: GrantStore;
  dialogs: Dialogs;
  /** Origins holding every grant without a dialog (the national portals). */
  builtin: string[];
  /** --allow-origin / allowOrigins (and local programs when allowed): login + sign-documents. */
  allowOrigins: string[];
  /** --allow-raw-signing / rawSigningOrigins: every grant, sign-raw included. */
  rawSigningOrigins: string[];
}

/** Grants the first consent dialog gives. */
const FIRST_CONSENT: readonly Grant[] = ['login', 'sign-documents'];

export class GrantPolicy {
  private readonly builtin: Set<string>;
  private readonly listed: Set<string>;
  private readonly raw: Set<string>;
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(private readonly opts: GrantPolicyOptions) {
    this.builtin = new Set(opts.builtin);
    this.listed = new Set(opts.allowOrigins);
    this.raw = new Set(opts.rawSigningOrigins);
  }

  /** Held now, without asking anyone. */
  holds(origin: string, grant: Grant): boolean {
    if (this.builtin.has(origin) || this.raw.has(origin)) return true;
    if (grant !== 'sign-raw' && this.listed.has(origin)) return true;
    return this.opts.store.get(origin, grant)?.decision === 'allowed';
  }

  /**
   * Throws ORIGIN_NOT_ALLOWED (data.grant names what is missing) unless held. An https origin
   * nobody decided for gets the dialog once: the first consent for login/sign-documents, the
   * warned grant dialog for sign-raw. A refusal is remembered until revoked.
   */
  async require(origin: string, grant: Grant, signal?: AbortSignal): Promise<void> {
    if (this.holds(origin, grant)) return;
    this.refuseWithoutDialog(origin, grant);
    const refused = () => new KysoError('ORIGIN_NOT_ALLOWED', { origin, grant });
    const kind = grant === 'sign-raw' ? 'sign-raw' : 'first-consent';
    const key = `${kind} ${origin}`;
    let pending = this.asking.get(key);
    if (!pending) {
      // One dialog per origin and kind, even when several tabs ask at once.
      pending = this.ask(origin, kind, signal).finally(() => this.asking.delete(key));
      this.asking.set(key, pending);
    }
    if (!(await pending)) throw refused();
    if (signal?.aborted) throw new KysoError('USER_CANCELLED', {}, 'the page went away');
  }

  /**
   * Refuses at once what no dialog could allow (a refused or an http origin without the grant);
   * an undecided https origin passes, to be asked by `require`. Callers check this before any work
   * on the request, so an origin without standing learns nothing about the tokens.
   */
  refuseWithoutDialog(origin: string, grant: Grant): void {
    if (this.holds(origin, grant)) return;
    if (this.opts.store.get(origin, grant)?.decision === 'denied' || !origin.startsWith('https://')) {
      throw new KysoError('ORIGIN_NOT_ALLOWED', { origin, grant });
    }
  }

  private async ask(origin: string, kind: 'sign-raw' | 'first-consent', signal?: AbortSignal): Promise<boolean> {
    const grants = kind === 'sign-raw' ? (['sign-raw'] as const) : FIRST_CONSENT;
    const d = this.opts.dialogs;
    const ok = kind === 'sign-raw' ? await d.confirmRawSigning(origin, { signal }) : await d.confirmOrigin(origin, { signal });
    // The page went away with the dialog open: nobody answered, so nothing is remembered.
    if (signal?.aborted) throw new KysoError('USER_CANCELLED', {}, 'dialog aborted');
    this.opts.store.set(origin, grants, ok ? 'allowed' : 'denied', 'dialog');
    return ok;
  }
}
