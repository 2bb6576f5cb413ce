// Grant decisions per origin in the daemon's SQLite state: what the user decided in a dialog and
// what the config file lists. Read on every request (prepared statements, no in-memory copy), so
// `kyso-bridge origins revoke` from another process takes effect on open connections at once.
import type { Grant, GrantDecision, GrantSource, GrantStore } from '../core/grants.js';
import { GRANTS } from '../core/grants.js';
import { normalizeOrigin } from '../origin.js';
import type { StateDb } from './db.js';

interface Row { origin: string; grant_name: Grant; decision: GrantDecision['decision']; source: GrantDecision['source']; updated_at: string }

/** One line of `origins list --json`. */
export interface OriginGrants {
  origin: string;
  grants: Grant[];
  denied: Grant[];
  source: GrantSource;
  /** ISO 8601; null for the built-in portals. */
  updatedAt: string | null;
}

export class SqliteGrantStore implements GrantStore {
  private readonly one;
  private readonly upsert;

  constructor(private readonly db: StateDb) {
    this.one = db.prepare('SELECT * FROM grants WHERE origin = ? AND grant_name = ?');
    this.upsert = db.prepare(`INSERT INTO grants (origin, grant_name, decision, source, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (origin, grant_name) DO UPDATE SET decision = excluded.decision, source = excluded.source, updated_at = excluded.updated_at`);
  }

  get(origin: string, grant: Grant): GrantDecision | undefined {
    const r = this.one.get(origin, grant) as Row | undefined;
    return r && { decision: r.decision, source: r.source, updatedAt: r.updated_at };
  }

  set(origin: string, grants: readonly Grant[], decision: GrantDecision['decision'], source: GrantDecision['source']): void {
    const o = normalizeOrigin(origin);
    const at = new Date().toISOString();
    this.db.transaction(() => { for (const g of grants) this.upsert.run(o, g, decision, source, at); }).immediate();
  }

  /** Forgets the user's decisions for an origin (one grant or all): the dialog asks again. */
  revoke(origin: string, grant?: Grant): number {
    const o = normalizeOrigin(origin);
    const r = grant
      ? this.db.prepare("DELETE FROM grants WHERE origin = ? AND grant_name = ? AND source = 'dialog'").run(o, grant)
      : this.db.prepare("DELETE FROM grants WHERE origin = ? AND source = 'dialog'").run(o);
    return r.changes;
  }

  /**
   * Makes the config file's lists the 'config' rows: allowOrigins → login + sign-documents,
   * rawSigningOrigins → every grant. The user's own decisions for the same origins stay.
   */
  syncConfig(allowOrigins: string[], rawSigningOrigins: string[]): void {
    const wanted = new Map<string, readonly Grant[]>();
    for (const o of allowOrigins) wanted.set(normalizeOrigin(o), ['login', 'sign-documents']);
    for (const o of rawSigningOrigins) wanted.set(normalizeOrigin(o), GRANTS);
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM grants WHERE source = 'config'").run();
      const at = new Date().toISOString();
      for (const [o, grants] of wanted) {
        for (const g of grants) {
          if (this.get(o, g)?.source === 'dialog') continue;
          this.upsert.run(o, g, 'allowed', 'config', at);
        }
      }
    }).immediate();
  }

  /** Every origin with a decision, plus the built-in portals, one entry each. */
  list(builtin: string[] = []): OriginGrants[] {
    const rows = this.db.prepare('SELECT * FROM grants ORDER BY origin, grant_name').all() as Row[];
    const byOrigin = new Map<string, OriginGrants>();
    for (const o of builtin) byOrigin.set(o, { origin: o, grants: [...GRANTS], denied: [], source: 'builtin', updatedAt: null });
    for (const r of rows) {
      if (byOrigin.get(r.origin)?.source === 'builtin') continue;
      const e = byOrigin.get(r.origin) ?? { origin: r.origin, grants: [], denied: [], source: r.source, updatedAt: r.updated_at };
      (r.decision === 'allowed' ? e.grants : e.denied).push(r.grant_name);
      if (r.source === 'config') e.source = 'config';
      if (!e.updatedAt || r.updated_at > e.updatedAt) e.updatedAt = r.updated_at;
      byOrigin.set(r.origin, e);
    }
    const order = (g: Grant) => GRANTS.indexOf(g);
    return [...byOrigin.values()].map((e) => ({ ...e, grants: e.grants.sort((a, b) => order(a) - order(b)), denied: e.denied.sort((a, b) => order(a) - order(b)) }))
      .sort((a, b) => a.origin.localeCompare(b.origin));
  }
}
