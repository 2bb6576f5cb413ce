// verifyAuthToken: turns a "kyso-auth:1" proof into a verified identity, or a typed failure.
// Order matters: cheap format/origin checks first, then the signature against this session's
// own challenges (the token does not carry the nonce), then the certificate (chain, policy,
// revocation), whose verdict may come from a VerdictCache for up to 60 s.
import type { KeyObject } from 'node:crypto';
import type { CertificateStatus } from '../certs/types.js';
import { x509 } from '../certs/x509.js';
import { sessionKeyOf, storeCall } from './challenge.js';
import { AuthVerificationError } from './errors.js';
import { parseCertificate } from './parsed-certificates.js';
import { verifiedIdentityOf, type VerifiedIdentity } from './identity.js';
import { algorithmFitsKey, authMessage, signatureReplayKey, verifyAuthSignature } from './signature.js';
import type { ChallengeRecord, ChallengeStore } from './store.js';
import { normalizeOrigin, parseAuthToken, type AuthToken } from './token.js';
import { validateForAuth, type FetchLike, type RevocationMode, type TrustAnchorInput } from './validate.js';
import { anchorsKey, verdictKey, type CachedVerdict, type VerdictCache } from './verdict-cache.js';

export interface VerifyOptions {
  /** The portal's own origin, e.g. "https://dichvucong.example.gov.vn": not taken from the token. */
  expectedOrigin: string;
  /** The portal session the challenge was issued to. */
  sessionId: string;
  /** Roots the portal accepts: PEM strings (bundles allowed) or DER buffers. */
  trustAnchors: TrustAnchorInput[];
  /** require: refuse when OCSP/CRL cannot answer; prefer: accept with a warning; off: skip. */
  revocation: RevocationMode;
  /** Where the challenges are (the same one createChallenge used). */
  store: ChallengeStore;
  /** Verification time (nonce expiry and certificate validity); defaults to now. */
  at?: Date;
  /** Passed to the validator for OCSP/CRL. */
  fetch?: FetchLike;
  /** Reuse certificate verdicts (≤ 60 s); only used when `at` is not given. */
  verdictCache?: VerdictCache;
}

export interface VerifiedAuth extends VerifiedIdentity {
  /** Validator warnings (e.g. EXPIRING_SOON, REVOCATION_UNKNOWN under 'prefer'). */
  warnings: CertificateStatus['warnings'];
  revocation?: CertificateStatus['revocation'];
  /** The validator's full verdict, shaped as `status` in `kyso-bridge certs --json`. */
  validation: CertificateStatus;
  algorithm: AuthToken['algorithm'];
  origin: string;
}

function fail(code: string, detail?: string): never {
  throw new AuthVerificationError(code, detail ? { detail } : {});
}

/** DER bytes that parse as a certificate, and its public key (parsed once per distinct certificate). */
function decodeCertificate(b64: string, what: string): { der: Buffer; publicKey: KeyObject } {
  const der = Buffer.from(b64, 'base64');
  const parsed = parseCertificate(der);
  if (!parsed) return fail('BAD_FORMAT', `${what} is not a DER certificate`);
  return { der, publicKey: parsed.publicKey };
}

/** The challenge the signature was made over, among this session's, consumed; or a typed failure. */
async function matchChallenge(
  store: ChallengeStore, sessionId: string, message: (nonce: string) => Buffer,
  check: (msg: Buffer) => boolean, now: number,
): Promise<ChallengeRecord> {
  const key = sessionKeyOf(sessionId);
  const records = await storeCall('forSession', () => store.forSession(key));
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
  if (!(await storeCall('consume', () => store.consume(hit.nonce, key, now)))) fail('REPLAYED', 'the challenge was used concurrently');
  return hit;
}

/** Chain, policy and revocation of the leaf, and the identity read from it; cached when allowed. */
async function certificateVerdict(leaf: Buffer, chain: Buffer[], opts: VerifyOptions, at: Date): Promise<CachedVerdict> {
  const compute = async (): Promise<CachedVerdict> => {
    let cert: x509.X509Certificate;
    let intermediates: x509.X509Certificate[];
    try {
      cert = new x509.X509Certificate(new Uint8Array(leaf));
      intermediates = chain.map((c) => new x509.X509Certificate(new Uint8Array(c)));
    } catch {
      return fail('BAD_FORMAT', 'a certificate of the token does not parse');
    }
    const verdict = await validateForAuth(cert, {
      at, intermediates, trustAnchors: opts.trustAnchors,
      revocation: opts.revocation, ...(opts.fetch ? { fetch: opts.fetch } : {}),
    });
    return { verdict, identity: verifiedIdentityOf(cert) };
  };
  const cache = opts.at === undefined ? opts.verdictCache : undefined;
  if (!cache) return compute();
  return cache.resolve(verdictKey(leaf, chain, anchorsKey(opts.trustAnchors), opts.revocation), compute);
}

export async function verifyAuthToken(token: unknown, opts: VerifyOptions): Promise<VerifiedAuth> {
  const at = opts.at ?? new Date();
  const now = at.getTime();
  const store = opts.store;
  if (!store) throw new TypeError('verifyAuthToken: a store is required (the one createChallenge used)');
  const expected = normalizeOrigin(opts.expectedOrigin);
  if (!expected) throw new TypeError(`verifyAuthToken: expectedOrigin is not an origin: ${opts.expectedOrigin}`);
  if (!opts.sessionId) throw new TypeError('verifyAuthToken: sessionId is required');

  const parsed = parseAuthToken(token);
  if (typeof parsed === 'string') fail('BAD_FORMAT', parsed);
  const t = parsed;
  const signature = Buffer.from(t.signature, 'base64');

  // Seen before, in any session: a replay (checked before anything else so it reads as one).
  const replayKey = signatureReplayKey(t.algorithm, signature);
  if (await storeCall('isTokenUsed', () => store.isTokenUsed(replayKey))) fail('REPLAYED', 'this token was already presented');
  if (normalizeOrigin(t.origin) !== expected) fail('ORIGIN_MISMATCH', `token origin ${t.origin}, expected ${expected}`);

  const leaf = decodeCertificate(t.certificate, 'certificate');
  const chain = t.chain.map((c, i) => decodeCertificate(c, `chain[${i}]`).der);
  const key = leaf.publicKey;
  if (!algorithmFitsKey(t.algorithm, key)) fail('BAD_FORMAT', `${t.algorithm} does not fit the certificate key`);

  const verifyOver = (msg: Buffer) => verifyAuthSignature(t.algorithm, key, msg, signature);
  await matchChallenge(store, opts.sessionId, (nonce) => authMessage(expected, nonce), verifyOver, now);
  if (!(await storeCall('markTokenUsed', () => store.markTokenUsed(replayKey, now)))) fail('REPLAYED', 'this token was already presented');

  const { verdict, identity } = await certificateVerdict(leaf.der, chain, opts, at);
  if (!verdict.ok) {
    throw new AuthVerificationError(verdict.code, {
      source: 'certificate', certificateStatus: verdict, ...(verdict.message ? { detail: verdict.message } : {}),
    });
  }
  return {
    ...identity,
    warnings: verdict.warnings ?? [],
    revocation: verdict.revocation,
    validation: verdict,
    algorithm: t.algorithm,
    origin: expected,
  };
}
