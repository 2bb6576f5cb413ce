// The demo portal's JSON API. The page only ever sends the bridge's proof and an e-mail: every
// field the form shows comes back from the server, read from the verified certificate.
import { statusText } from '../../i18n/table-validation.js';
import { portalText } from '../../i18n/table-portal.js';
import { createChallenge } from '../challenge.js';
import { AuthVerificationError } from '../errors.js';
import type { ChallengeStore } from '../store.js';
import { verifyAuthToken, type VerifiedAuth, type VerifyOptions } from '../verify.js';
import { AccountExistsError, type Account, type AccountStore } from './accounts.js';
import type { Session } from './sessions.js';

export interface ApiContext {
  accounts: AccountStore;
  challenges: ChallengeStore;
  verify: Omit<VerifyOptions, 'sessionId' | 'store'>;
}

export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, readonly vi: string, readonly en: string, readonly extra: Record<string, unknown> = {}) {
    super(en);
  }

  /** An error whose texts come from the table (src/i18n/portal-texts.ts), key DEMO_<code>. */
  static of(status: number, code: string, fill: Record<string, string> = {}, key = `DEMO_${code}`): HttpError {
    return new HttpError(status, code, portalText(key, 'vi', fill), portalText(key, 'en', fill));
  }
}

const EMAIL = /^[^\s@<>()"',;]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}$/;

/** What the registration form shows (read-only) for a verified identity. */
export function formFields(id: VerifiedAuth) {
  return {
    kind: id.kind,
    name: id.name,
    nameLabel: id.kind === 'organization' ? 'Tên tổ chức' : 'Họ tên',
    idType: id.primaryId?.type ?? null,
    idNumber: id.primaryId?.value ?? null,
    taxCode: id.taxCode ?? null,
    citizenId: id.citizenId ?? null,
    validFrom: id.validFrom,
    validTo: id.validTo,
    caName: id.caName,
    fingerprint: id.fingerprint,
    email: id.details.email ?? null,
  };
}

function accountJson(a: Account) {
  const { id, kind, name, idNumber, caName, validFrom, validTo, fingerprint, email, createdAt } = a;
  // The fingerprint (SHA-256 of the login certificate) lets the page sign with that same certificate.
  return { id, kind, name, idNumber, caName, validFrom, validTo, fingerprint, email, createdAt };
}

async function verified(ctx: ApiContext, session: Session, token: unknown): Promise<VerifiedAuth> {
  try {
    return await verifyAuthToken(token, { ...ctx.verify, sessionId: session.id, store: ctx.challenges });
  } catch (e) {
    if (!(e instanceof AuthVerificationError)) throw e;
    const status = e.certificateStatus as { message?: string; messageEn?: string } | undefined;
    throw new HttpError(e.source === 'certificate' ? 422 : 401, e.code, status?.message ?? e.localized('vi'),
      status?.messageEn ?? e.localized('en'), { source: e.source });
  }
}

export async function handleApi(ctx: ApiContext, route: string, session: Session, body: Record<string, unknown>): Promise<unknown> {
  switch (route) {
    case 'POST /api/challenge':
      return createChallenge(session.id, { store: ctx.challenges });

    case 'POST /api/register/verify': {
      const id = await verified(ctx, session, body.token);
      session.pending = id;
      const existing = ctx.accounts.byIdentity(id);
      return { identity: formFields(id), accountExists: Boolean(existing) };
    }

    case 'POST /api/register': {
      const id = session.pending;
      if (!id) throw HttpError.of(400, 'NO_PENDING_REGISTRATION');
      // The certificate was in date when verified; refuse if it ran out while the form was open.
      if (Date.parse(id.validTo) < Date.now()) throw new HttpError(422, 'EXPIRED', statusText('EXPIRED', 'vi'), statusText('EXPIRED', 'en'));
      const email = typeof body.email === 'string' ? body.email.trim() : '';
      if (!EMAIL.test(email)) throw HttpError.of(400, 'INVALID_EMAIL');
      try {
        const account = ctx.accounts.create(id, email);
        // Like the national portal: registering creates the account; logging in is a separate step.
        session.pending = undefined;
        return { account: accountJson(account) };
      } catch (e) {
        if (!(e instanceof AccountExistsError)) throw e;
        session.pending = undefined;
        throw HttpError.of(409, 'ACCOUNT_EXISTS', { name: id.name });
      }
    }

    case 'POST /api/login': {
      const id = await verified(ctx, session, body.token);
      const account = ctx.accounts.byIdentity(id);
      if (!account) {
        throw HttpError.of(404, 'NO_ACCOUNT', { name: id.name });
      }
      ctx.accounts.touchCertificate(account.id, id);
      session.accountId = account.id;
      const chain = (body.token as { chain?: unknown })?.chain;
      session.chain = Array.isArray(chain) ? chain.filter((c): c is string => typeof c === 'string').slice(0, 8) : [];
      return { account: accountJson(ctx.accounts.byId(account.id)!) };
    }

    case 'GET /api/me': {
      const account = session.accountId !== undefined ? ctx.accounts.byId(session.accountId) : undefined;
      return { account: account ? accountJson(account) : null };
    }

    case 'POST /api/logout':
      session.accountId = undefined;
      session.pending = undefined;
      session.chain = undefined;
      session.submissions = undefined;
      return { ok: true };

    default:
      throw HttpError.of(404, 'NOT_FOUND');
  }
}
