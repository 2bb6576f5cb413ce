// Who may call. At the upgrade: null, file:// and other schemes are refused, a missing Origin
// too (unless local programs are allowed). After it: only approved origins reach privileged
// methods — allow-listed ones, ones the user approved in the first-time dialog (remembered),
// and never an unlisted http origin.
import { KysoError } from '../errors.js';
import type { Dialogs } from '../core/dialogs.js';
import type { OriginStore } from '../state/origins.js';
import { normalizeOrigin } from '../state/origins.js';
import { LOCAL_PROGRAM_ORIGIN } from './limits.js';

export type UpgradeVerdict = { accept: true; origin: string } | { accept: false; reason: string };

export interface OriginPolicyOptions {
  store: OriginStore;
  allowList: string[];
  allowLocalPrograms: boolean;
  dialogs: Dialogs;
}

export class OriginPolicy {
  private readonly allow: Set<string>;
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(private readonly opts: OriginPolicyOptions) {
    this.allow = new Set(opts.allowList.map(normalizeOrigin));
  }

  atUpgrade(header: string | undefined): UpgradeVerdict {
    if (header === undefined || header === '') {
      return this.opts.allowLocalPrograms ? { accept: true, origin: LOCAL_PROGRAM_ORIGIN } : { accept: false, reason: 'no Origin header (local programs are not allowed)' };
    }
    if (header === 'null') return { accept: false, reason: 'opaque origin "null"' };
    if (!/^https?:\/\//i.test(header)) return { accept: false, reason: `scheme not allowed: ${header.slice(0, 40)}` };
    try {
      return { accept: true, origin: normalizeOrigin(header) };
    } catch {
      return { accept: false, reason: 'malformed Origin' };
    }
  }

  /** Approved now, without asking anyone. */
  isApproved(origin: string): boolean {
    if (origin === LOCAL_PROGRAM_ORIGIN) return this.opts.allowLocalPrograms;
    if (this.allow.has(origin)) return true;
    return this.opts.store.get(origin)?.decision === 'allowed';
  }

  /** Throws ORIGIN_NOT_ALLOWED unless approved; https origins not yet decided get the dialog once. */
  async ensureApproved(origin: string, signal?: AbortSignal): Promise<void> {
    if (this.isApproved(origin)) return;
    const decided = this.opts.store.get(origin);
    if (decided?.decision === 'denied' || !origin.startsWith('https://')) throw new KysoError('ORIGIN_NOT_ALLOWED', { origin });
    let pending = this.asking.get(origin);
    if (!pending) {
      // One dialog per origin even when several tabs ask at once.
      pending = this.opts.dialogs.confirmOrigin(origin, { signal }).then((ok) => {
        if (ok) this.opts.store.allow(origin, 'user'); else this.opts.store.deny(origin);
        return ok;
      }).finally(() => this.asking.delete(origin));
      this.asking.set(origin, pending);
    }
    if (!(await pending)) throw new KysoError('ORIGIN_NOT_ALLOWED', { origin });
  }
}

/** DNS-rebinding guard: the Host header must name loopback with our port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const h = host.toLowerCase();
  return h === `127.0.0.1:${port}` || h === `localhost:${port}` || h === `[::1]:${port}`;
}
