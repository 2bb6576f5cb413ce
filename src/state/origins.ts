// Which web origins may talk to the bridge. A decision is per origin (scheme://host[:port]),
// made by the user in the first-time dialog, or listed in the config file.
import { KysoError } from '../errors.js';
import type { StateDb } from './db.js';

export type OriginDecision = 'allowed' | 'denied';
export type OriginSource = 'user' | 'config' | 'default';

export interface OriginEntry {
  origin: string;
  decision: OriginDecision;
  /** ISO 8601. */
  decidedAt: string;
  source: OriginSource;
}

interface Row {
  origin: string;
  decision: OriginDecision;
  decided_at: string;
  source: OriginSource;
}

/**
 * `https://DichVuCong.gov.vn:443/path` → `https://dichvucong.gov.vn`. Strict: a scheme is
 * required, and only http(s) origins are accepted; anything else (the opaque "null") is refused.
 */
export function normalizeOrigin(input: string): string {
  const raw = input.trim();
  let url: URL;
  try {
    if (!/^https?:\/\//i.test(raw)) throw new Error('no http(s) scheme');
    url = new URL(raw);
  } catch {
    throw new KysoError('INVALID_PARAMS', {}, `not an origin: ${JSON.stringify(input)}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    throw new KysoError('INVALID_PARAMS', {}, `not an http(s) origin: ${JSON.stringify(input)}`);
  }
  return url.origin.toLowerCase();
}

/** For people typing at the CLI: a bare host means https://host. */
export function parseOriginArg(input: string): string {
  const raw = input.trim();
  return normalizeOrigin(/^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`);
}

const toEntry = (r: Row): OriginEntry => ({ origin: r.origin, decision: r.decision, decidedAt: r.decided_at, source: r.source });

export class OriginStore {
  /** Asked on every privileged request of a consented origin: prepared once. No in-memory
   * copy, so `kyso-bridge origins revoke` from another process takes effect at once. */
  private readonly byOrigin;

  constructor(private readonly db: StateDb) {
    this.byOrigin = db.prepare('SELECT * FROM origins WHERE origin = ?');
  }

  list(): OriginEntry[] {
    return (this.db.prepare('SELECT * FROM origins ORDER BY origin').all() as Row[]).map(toEntry);
  }

  get(origin: string): OriginEntry | undefined {
    const row = this.byOrigin.get(normalizeOrigin(origin)) as Row | undefined;
    return row && toEntry(row);
  }

  /** Allowed? true/false for a decision, undefined when nobody decided yet (ask the user). */
  isAllowed(origin: string): boolean | undefined {
    const e = this.get(origin);
    return e ? e.decision === 'allowed' : undefined;
  }

  allow(origin: string, source: OriginSource = 'user'): OriginEntry {
    return this.set(origin, 'allowed', source);
  }

  deny(origin: string): OriginEntry {
    return this.set(origin, 'denied', 'user');
  }

  /** Forget the decision (the user is asked again next time). True when there was one. */
  revoke(origin: string): boolean {
    return this.db.prepare('DELETE FROM origins WHERE origin = ?').run(normalizeOrigin(origin)).changes > 0;
  }

  /**
   * Make the config file's allowOrigins the 'config' entries: new ones allowed, ones no longer
   * listed forgotten. A user's own decision for the same origin is left as it is.
   */
  syncConfig(origins: string[]): void {
    const wanted = new Set(origins.map(normalizeOrigin));
    this.db.transaction(() => {
      for (const e of this.list()) {
        if (e.source === 'config' && !wanted.has(e.origin)) this.revoke(e.origin);
      }
      for (const o of wanted) {
        const e = this.get(o);
        if (!e || e.source !== 'user') this.set(o, 'allowed', 'config', e?.source === 'config' ? e.decidedAt : undefined);
      }
    }).immediate();
  }

  private set(origin: string, decision: OriginDecision, source: OriginSource, decidedAt = new Date().toISOString()): OriginEntry {
    const o = normalizeOrigin(origin);
    this.db
      .prepare(`INSERT INTO origins (origin, decision, decided_at, source) VALUES (?, ?, ?, ?)
                ON CONFLICT (origin) DO UPDATE SET decision = excluded.decision, decided_at = excluded.decided_at, source = excluded.source`)
      .run(o, decision, decidedAt, source);
    return { origin: o, decision, decidedAt, source };
  }
}
