// Demo portal accounts: one per identity (MST for organisations, CCCD/CMND for people), keyed
// so a renewed certificate of the same organisation logs into the same account.
import Database from 'better-sqlite3';
import type { VerifiedIdentity } from '../identity.js';

export interface Account {
  id: number;
  identityKey: string;
  kind: VerifiedIdentity['kind'];
  name: string;
  /** MST or CCCD/CMND as shown on the form. */
  idNumber: string | null;
  caName: string;
  validFrom: string;
  validTo: string;
  fingerprint: string;
  email: string;
  createdAt: string;
}

interface Row {
  id: number; identity_key: string; kind: string; name: string; id_number: string | null; ca_name: string;
  valid_from: string; valid_to: string; fingerprint: string; email: string; created_at: string;
}

/** The account key of a verified identity; falls back to the certificate when it names no number. */
export function identityKeyOf(id: VerifiedIdentity): string {
  return id.primaryId ? `${id.primaryId.type}:${id.primaryId.value}` : `CERT:${id.fingerprint}`;
}

export class AccountExistsError extends Error {
  constructor(readonly account: Account) {
    super('account exists');
  }
}

export class AccountStore {
  private readonly db: Database.Database;

  constructor(file = ':memory:') {
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS accounts (
      id INTEGER PRIMARY KEY AUTOINCREMENT, identity_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
      name TEXT NOT NULL, id_number TEXT, ca_name TEXT NOT NULL, valid_from TEXT NOT NULL, valid_to TEXT NOT NULL,
      fingerprint TEXT NOT NULL, email TEXT NOT NULL, created_at TEXT NOT NULL)`);
  }

  byIdentity(id: VerifiedIdentity): Account | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE identity_key = ?').get(identityKeyOf(id)) as Row | undefined;
    return row && toAccount(row);
  }

  byId(accountId: number): Account | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(accountId) as Row | undefined;
    return row && toAccount(row);
  }

  /** Creates the account; AccountExistsError when this identity already has one. */
  create(id: VerifiedIdentity, email: string): Account {
    const existing = this.byIdentity(id);
    if (existing) throw new AccountExistsError(existing);
    try {
      const res = this.db.prepare(`INSERT INTO accounts
        (identity_key, kind, name, id_number, ca_name, valid_from, valid_to, fingerprint, email, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(identityKeyOf(id), id.kind, id.name, id.primaryId?.value ?? null,
        id.caName, id.validFrom, id.validTo, id.fingerprint, email, new Date().toISOString());
      return this.byId(Number(res.lastInsertRowid))!;
    } catch (e) {
      // Two tabs registering at once: the UNIQUE constraint decides.
      const again = this.byIdentity(id);
      if (again) throw new AccountExistsError(again);
      throw e;
    }
  }

  /** Keeps the shown certificate data current after a login with a renewed certificate. */
  touchCertificate(accountId: number, id: VerifiedIdentity): void {
    this.db.prepare('UPDATE accounts SET ca_name = ?, valid_from = ?, valid_to = ?, fingerprint = ? WHERE id = ?')
      .run(id.caName, id.validFrom, id.validTo, id.fingerprint, accountId);
  }

  close(): void {
    this.db.close();
  }
}

function toAccount(r: Row): Account {
  return {
    id: r.id, identityKey: r.identity_key, kind: r.kind as Account['kind'], name: r.name, idNumber: r.id_number,
    caName: r.ca_name, validFrom: r.valid_from, validTo: r.valid_to, fingerprint: r.fingerprint, email: r.email,
    createdAt: r.created_at,
  };
}
