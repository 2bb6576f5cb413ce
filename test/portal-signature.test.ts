// The proof-of-possession primitives for every algorithm the bridge may use, with fresh keys.
import { generateKeyPairSync, sign, constants } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { algorithmFitsKey, authMessage, signatureReplayKey, verifyAuthSignature } from '../src/portal/signature.js';
import type { AuthAlgorithm } from '../src/portal/token.js';

const msg = authMessage('https://dichvucong.example.gov.vn', 'n'.repeat(43));

describe('authMessage', () => {
  it('is SHA-256(origin) ‖ SHA-256(nonce): 64 bytes', () => {
    expect(msg).toHaveLength(64);
    expect(authMessage('https://a', 'x')).not.toEqual(authMessage('https://b', 'x'));
  });
});

const cases: [AuthAlgorithm, () => ReturnType<typeof generateKeyPairSync>, (k: any) => Buffer][] = [
  ['RS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), (k) => sign('sha256', msg, k)],
  ['PS256', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), (k) => sign('sha256', msg, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })],
  ['ES256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), (k) => sign('sha256', msg, { key: k, dsaEncoding: 'ieee-p1363' })],
  ['ES384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), (k) => sign('sha384', msg, { key: k, dsaEncoding: 'ieee-p1363' })],
  ['ES512', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }), (k) => sign('sha512', msg, { key: k, dsaEncoding: 'ieee-p1363' })],
];

describe('verifyAuthSignature', () => {
  for (const [alg, gen, doSign] of cases) {
    it(`${alg}: verifies, rejects a flipped bit, and checks the key type`, () => {
      const { publicKey, privateKey } = gen();
      const sig = doSign(privateKey);
      expect(algorithmFitsKey(alg, publicKey)).toBe(true);
      expect(verifyAuthSignature(alg, publicKey, msg, sig)).toBe(true);
      const bad = Buffer.from(sig);
      bad[5] ^= 0x40;
      expect(verifyAuthSignature(alg, publicKey, msg, bad)).toBe(false);
      expect(verifyAuthSignature(alg, publicKey, authMessage('https://evil', 'n'.repeat(43)), sig)).toBe(false);
    });
  }

  it('refuses an algorithm that does not fit the key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(algorithmFitsKey('RS256', ec)).toBe(false);
    expect(algorithmFitsKey('ES384', ec)).toBe(false);
    expect(algorithmFitsKey('ES256', rsa)).toBe(false);
  });

  it('PS256 with another salt length does not verify', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sig = sign('sha256', msg, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    expect(verifyAuthSignature('PS256', publicKey, msg, sig)).toBe(false);
  });
});

describe('signatureReplayKey', () => {
  it('folds ECDSA (r, s) and (r, n−s) to one key', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const sig = sign('sha384', msg, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const n = 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n;
    const s = BigInt('0x' + sig.subarray(48).toString('hex'));
    const twin = Buffer.concat([sig.subarray(0, 48), Buffer.from((n - s).toString(16).padStart(96, '0'), 'hex')]);
    expect(verifyAuthSignature('ES384', publicKey, msg, twin)).toBe(true);
    expect(signatureReplayKey('ES384', twin)).toBe(signatureReplayKey('ES384', sig));
  });
});
