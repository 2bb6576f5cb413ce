// verifyAuthToken with real signatures made by node:crypto over the test PKI's keys.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AuthVerificationError, createChallenge, MemoryChallengeStore, verifyAuthToken, type ChallengeStore, type VerifyOptions,
} from '../src/portal/index.js';
import { SqliteChallengeStore } from '../src/portal/store-sqlite.js';
import { ANCHORS, ORIGIN, der64, makeToken, pem } from './support/portal-tokens.js';

let store: ChallengeStore;
const opts = (sessionId: string, extra: Partial<VerifyOptions> = {}): VerifyOptions =>
  ({ expectedOrigin: ORIGIN, sessionId, trustAnchors: ANCHORS, revocation: 'off', store, ...extra });

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (!(e instanceof AuthVerificationError)) throw e;
    return e.code;
  }
}

for (const [label, factory] of [['sqlite', () => new SqliteChallengeStore()], ['memory', () => new MemoryChallengeStore()]] as const) {
  describe(`verifyAuthToken (${label} store)`, () => {
    beforeEach(() => { store = factory(); });

    it('verifies an organisation (RS256) and returns the identity from the certificate', async () => {
      const { nonce, expiresAt } = await createChallenge('s1', { store });
      expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(expiresAt - Date.now()).toBeGreaterThan(4 * 60_000);
      const who = await verifyAuthToken(makeToken('leaf-org', nonce), opts('s1'));
      expect(who).toMatchObject({
        kind: 'organization', name: 'Công ty TNHH Phần mềm Dương Hòa', taxCode: '3301234567',
        primaryId: { type: 'MST', value: '3301234567' }, caName: 'Kyso Test VNPT-CA SHA2',
        validFrom: '2024-01-01T00:00:00.000Z', algorithm: 'RS256', origin: ORIGIN,
      });
      expect(who.fingerprint).toMatch(/^[0-9A-F]{64}$/);
    });

    it('verifies a citizen (ES256) and a civil servant under the government root', async () => {
      const a = await createChallenge('s1', { store });
      expect(await verifyAuthToken(makeToken('leaf-person', a.nonce), opts('s1'))).toMatchObject({ kind: 'person', citizenId: '001190012345', name: 'Nguyễn Thị Hồng Nhung' });
      const b = await createChallenge('s1', { store });
      expect(await verifyAuthToken(makeToken('leaf-civil-servant', b.nonce), opts('s1'))).toMatchObject({ kind: 'civil-servant', name: 'Lê Văn Thúc' });
    });

    it('accepts PS256', async () => {
      const { nonce } = await createChallenge('s1', { store });
      expect(await code(verifyAuthToken(makeToken('leaf-org', nonce, { alg: 'PS256' }), opts('s1')))).toBe('OK');
    });

    it('a replayed token fails REPLAYED, in the same session or another one', async () => {
      const { nonce } = await createChallenge('s1', { store });
      const token = makeToken('leaf-org', nonce);
      await verifyAuthToken(token, opts('s1'));
      expect(await code(verifyAuthToken(token, opts('s1')))).toBe('REPLAYED');
      await createChallenge('s2', { store });
      expect(await code(verifyAuthToken(token, opts('s2')))).toBe('REPLAYED');
    });

    it('an ECDSA replay with the malleated (r, n−s) signature still fails REPLAYED', async () => {
      const { nonce } = await createChallenge('s1', { store });
      const token = makeToken('leaf-person', nonce);
      await verifyAuthToken(token, opts('s1'));
      const sig = Buffer.from(token.signature, 'base64');
      const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
      const s = BigInt('0x' + sig.subarray(32).toString('hex'));
      const flipped = Buffer.concat([sig.subarray(0, 32), Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex')]);
      expect(await code(verifyAuthToken({ ...token, signature: flipped.toString('base64') }, opts('s1')))).toBe('REPLAYED');
    });

    it('a nonce issued to another session fails', async () => {
      const a = await createChallenge('victim', { store });
      expect(await code(verifyAuthToken(makeToken('leaf-org', a.nonce), opts('attacker')))).toBe('NONCE_UNKNOWN');
      await createChallenge('attacker', { store });
      expect(await code(verifyAuthToken(makeToken('leaf-org', a.nonce), opts('attacker')))).toBe('BAD_SIGNATURE');
      // The victim's challenge is still good for the victim.
      expect(await code(verifyAuthToken(makeToken('leaf-org', a.nonce), opts('victim')))).toBe('OK');
    });

    it('without a challenge: NONCE_UNKNOWN; after its lifetime: NONCE_EXPIRED', async () => {
      expect(await code(verifyAuthToken(makeToken('leaf-org', 'x'.repeat(43)), opts('s0')))).toBe('NONCE_UNKNOWN');
      const t0 = Date.now();
      const { nonce } = await createChallenge('s1', { store, now: t0 });
      const later = new Date(t0 + 5 * 60_000 + 1);
      expect(await code(verifyAuthToken(makeToken('leaf-org', nonce), opts('s1', { at: later })))).toBe('NONCE_EXPIRED');
    });

    it('a token for another origin fails ORIGIN_MISMATCH; a lying origin field fails BAD_SIGNATURE', async () => {
      const { nonce } = await createChallenge('s1', { store });
      expect(await code(verifyAuthToken(makeToken('leaf-org', nonce, { origin: 'https://evil.example' }), opts('s1')))).toBe('ORIGIN_MISMATCH');
      const signedForEvil = makeToken('leaf-org', nonce, { origin: 'https://evil.example' });
      expect(await code(verifyAuthToken({ ...signedForEvil, origin: ORIGIN }, opts('s1')))).toBe('BAD_SIGNATURE');
      // The challenge survived the failed attempts.
      expect(await code(verifyAuthToken(makeToken('leaf-org', nonce), opts('s1')))).toBe('OK');
    });

    it('a tampered signature or a swapped certificate fails BAD_SIGNATURE', async () => {
      const { nonce } = await createChallenge('s1', { store });
      const token = makeToken('leaf-org', nonce);
      const sig = Buffer.from(token.signature, 'base64');
      sig[10] ^= 1;
      expect(await code(verifyAuthToken({ ...token, signature: sig.toString('base64') }, opts('s1')))).toBe('BAD_SIGNATURE');
      // Someone else's certificate with the original signature: the key does not match.
      expect(await code(verifyAuthToken({ ...token, certificate: der64('leaf-mst-cccd') }, opts('s1')))).toBe('BAD_SIGNATURE');
      // Signed by one key, presented with another identity's certificate.
      expect(await code(verifyAuthToken(makeToken('leaf-mst-cccd', nonce, { keyOf: 'leaf-org' }), opts('s1')))).toBe('BAD_SIGNATURE');
    });

    it('malformed tokens fail BAD_FORMAT', async () => {
      const { nonce } = await createChallenge('s1', { store });
      const good = makeToken('leaf-org', nonce);
      for (const bad of [null, 'not json', { ...good, format: 'kyso-auth:2' }, { ...good, certificate: 'éé' },
        { ...good, chain: 'x' }, { ...good, algorithm: 'HS256' }, { ...good, certificate: 'AAAA' },
        { ...good, algorithm: 'ES256' }]) {
        expect(await code(verifyAuthToken(bad, opts('s1')))).toBe('BAD_FORMAT');
      }
      expect(await code(verifyAuthToken(JSON.stringify(good), opts('s1')))).toBe('OK');
    });

    it('expired, not yet valid, untrusted and wrong-usage certificates fail with the validator code', async () => {
      for (const [leaf, want] of [['leaf-expired', 'EXPIRED'], ['leaf-not-yet-valid', 'NOT_YET_VALID'],
        ['leaf-untrusted', 'UNTRUSTED'], ['leaf-no-sign-usage', 'KEY_USAGE']] as const) {
        const { nonce } = await createChallenge('s1', { store });
        const err = await verifyAuthToken(makeToken(leaf, nonce), opts('s1')).catch((e) => e);
        expect(err, leaf).toBeInstanceOf(AuthVerificationError);
        expect(err.code, leaf).toBe(want);
        expect(err.source).toBe('certificate');
        expect(err.localized()).toMatch(/Chứng thư số/);
      }
    });

    it('a chain to a root the portal does not list is UNTRUSTED', async () => {
      const { nonce } = await createChallenge('s1', { store });
      const err = await verifyAuthToken(makeToken('leaf-civil-servant', nonce), opts('s1', { trustAnchors: [pem('root-national')] })).catch((e) => e);
      expect(err.code).toBe('UNTRUSTED');
    });

    it('keeps at most 8 outstanding challenges per session', async () => {
      const first = await createChallenge('s1', { store, now: Date.now() - 1000 });
      for (let i = 0; i < 8; i++) await createChallenge('s1', { store });
      expect(await code(verifyAuthToken(makeToken('leaf-org', first.nonce), opts('s1')))).toBe('BAD_SIGNATURE');
    });
  });
}

describe('SqliteChallengeStore on a file', () => {
  it('is shared by two store instances (two portal processes)', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'kyso-portal-')), 'challenges.db');
    const a = new SqliteChallengeStore({ file });
    const b = new SqliteChallengeStore({ file });
    const { nonce } = await createChallenge('s1', { store: a });
    const token = makeToken('leaf-org', nonce);
    store = b;
    expect(await code(verifyAuthToken(token, opts('s1')))).toBe('OK');
    store = a;
    expect(await code(verifyAuthToken(token, opts('s1')))).toBe('REPLAYED');
    a.close(); b.close();
    const { rmSync } = await import('node:fs');
    rmSync(join(file, '..'), { recursive: true, force: true });
  });
});
