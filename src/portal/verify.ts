// verifyAuthToken: turns a "kyso-auth:1" proof into a verified identity, or a typed failure.
// Order matters: cheap format/origin checks first, then the signature against this session's
// own challenges (the token does not carry the nonce), then the certificate.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { x509 } from '../certs/x509.js';
import { CHALLENGE_RETENTION_MS, defaultChallengeStore, sessionKeyOf } from './challenge.js';
import { AuthVerificationError } from './errors.js';
import { verifiedIdentityOf, type VerifiedIdentity } from './identity.js';
import { algorithmFitsKey, authMessage, signatureReplayKey, verifyAuthSignature } from './signature.js';
import type { ChallengeRecord, ChallengeStore } from './store.js';
import { normalizeOrigin, parseAuthToken, type AuthToken } from './token.js';
import { validateForAuth, type FetchLike, type RevocationMode, type TrustAnchorInput } from './validate.js';

export interface VerifyOptions {
  /** The portal's own origin, e.g. "https://dichvucong.example.gov.vn": not taken from the token. */
  expectedOrigin: string;
  /** The portal session the challenge was issued to. */
  sessionId: string;
  /** Roots the portal accepts: PEM strings (bundles allowed) or DER buffers. */
  trustAnchors: TrustAnchorInput[];
  revocation: RevocationMode;
  store?: ChallengeStore;
  /** Verification time (nonce expiry and certificate validity); defaults to now. */
  at?: Date;
  /** Passed to the validator for OCSP/CRL. */
  fetch?: FetchLike;
}

export interface VerifiedAuth extends VerifiedIdentity {
  /** Validator warnings (e.g. EXPIRING_SOON, SHA1_SIGNATURE). */
  warnings: unknown[];
  revocation?: unknown;
  algorithm: AuthToken['algorithm'];
  origin: string;
}

function fail(code: string, detail?: string): never {
  throw new AuthVerificationError(code, detail ? { detail } : {});
}

function decodeCertificate(b64: string, what: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(Buffer.from(b64, 'base64'));
  } catch {
    return fail('BAD_FORMAT', `${what} is not a DER certificate`);
  }
}

function publicKeyOf(cert: x509.X509Certificate): KeyObject {
  try {
    return createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    return fail('BAD_FORMAT', 'unsupported public key');
  }
}

/** The challenge the signature was made over, among this session's, or a typed failure. */
async function matchChallenge(
  store: ChallengeStore, sessionId: string, message: (nonce: string) => Buffer,
  check: (msg: Buffer) => boolean, now: number,
): Promise<ChallengeRecord> {
  const key = sessionKeyOf(sessionId);
  const records = await store.forSession(key);
  if (records.length === 0) fail('NONCE_UNKNOWN', 'no challenge was issued to this session');
  // Newest first: the page normally answers the challenge it fetched last.
  const ordered = [...records].sort((a, b) => b.createdAt - a.createdAt);
  const hit = ordered.find((r) => check(message(r.nonce)));
  if (!hit) {
    // A forged signature and one over another session's nonce look the same from here.
    const open = ordered.some((r) => r.consumedAt === null && r.expiresAt > now);
    return fail(open ? 'BAD_SIGNATURE' : 'NONCE_UNKNOWN', 'the signature matches no challenge of this session');
  }
  if (hit.consumedAt !== null) fail('REPLAYED', 'the challenge was already used');
  if (hit.expiresAt <= now) fail('NONCE_EXPIRED');
  if (!(await store.consume(hit.nonce, key, now))) fail('REPLAYED', 'the challenge was used concurrently');
  return hit;
}

export async function verifyAuthToken(token: unknown, opts: VerifyOptions): Promise<VerifiedAuth> {
  const at = opts.at ?? new Date();
  const now = at.getTime();
  const store = opts.store ?? defaultChallengeStore();
  const expected = normalizeOrigin(opts.expectedOrigin);
  if (!expected) throw new TypeError(`verifyAuthToken: expectedOrigin is not an origin: ${opts.expectedOrigin}`);
  if (!opts.sessionId) throw new TypeError('verifyAuthToken: sessionId is required');

  const parsed = parseAuthToken(token);
  if (typeof parsed === 'string') fail('BAD_FORMAT', parsed);
  const t = parsed;
  const signature = Buffer.from(t.signature, 'base64');

  // Seen before, in any session: a replay (checked before anything else so it reads as one).
  const replayKey = signatureReplayKey(t.algorithm, signature);
  await store.prune(now - CHALLENGE_RETENTION_MS);
  if (await store.isTokenUsed(replayKey)) fail('REPLAYED', 'this token was already presented');
  if (normalizeOrigin(t.origin) !== expected) fail('ORIGIN_MISMATCH', `token origin ${t.origin}, expected ${expected}`);

  const leaf = decodeCertificate(t.certificate, 'certificate');
  const intermediates = t.chain.map((c, i) => decodeCertificate(c, `chain[${i}]`));
  const key = publicKeyOf(leaf);
  if (!algorithmFitsKey(t.algorithm, key)) fail('BAD_FORMAT', `${t.algorithm} does not fit the certificate key`);

  const verifyOver = (msg: Buffer) => verifyAuthSignature(t.algorithm, key, msg, signature);
  await matchChallenge(store, opts.sessionId, (nonce) => authMessage(expected, nonce), verifyOver, now);
  if (!(await store.markTokenUsed(replayKey, now))) fail('REPLAYED', 'this token was already presented');

  const verdict = await validateForAuth(leaf, {
    at, intermediates, trustAnchors: opts.trustAnchors, revocation: opts.revocation,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  if (!verdict.ok) {
    throw new AuthVerificationError(verdict.code, {
      source: 'certificate', certificateStatus: verdict, ...(verdict.message ? { detail: verdict.message } : {}),
    });
  }
  return {
    ...verifiedIdentityOf(leaf),
    warnings: verdict.warnings ?? [],
    ...(verdict.revocation !== undefined ? { revocation: verdict.revocation } : {}),
    algorithm: t.algorithm,
    origin: expected,
  };
}
