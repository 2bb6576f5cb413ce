import { createHash, verify, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../src/types.js';
import { ecdsaRawToDer } from '../src/pkcs11/ecdsa.js';
import { HASH_LENGTH } from '../src/crypto/digests.js';
import type { TokenCertificate, TokenManager } from '../src/pkcs11/token-manager.js';
import { sharedSoftHsm, tokenSpec } from './support/softhsm.js';
import { openRsaAndEc, verifyWithCert } from './support/tokens.js';

const HASHES: HashAlgorithm[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
const data = Buffer.from('Đăng ký tài khoản bằng USB ký số — dữ liệu thử');
const digest = (alg: HashAlgorithm) => createHash(alg.replace('-', '').toLowerCase()).update(data).digest();

describe('signing with every mechanism, verified by node:crypto', () => {
  const env = sharedSoftHsm();
  let manager: TokenManager;
  let rsa: TokenCertificate;
  let ec: TokenCertificate;

  beforeAll(async () => {
    ({ manager, rsa, ec } = await openRsaAndEc(env));
    await rsa.token.login(tokenSpec('KYSO DOANH NGHIEP').userPin);
    await ec.token.login(tokenSpec('KYSO CONG DAN').userPin);
  });
  afterAll(async () => {
    await rsa.token.logout();
    await ec.token.logout();
    manager.close();
  });

  for (const h of HASHES) {
    it(`RSA PKCS#1 v1.5 ${h} over a given hash (DigestInfo built on the host)`, async () => {
      const sig = await rsa.token.sign(rsa.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: h, hash: digest(h) });
      expect(sig.length).toBe(256);
      expect(verifyWithCert(rsa.object.der, 'RSASSA-PKCS1-v1_5', h, data, sig)).toBe(true);
      expect(verifyWithCert(rsa.object.der, 'RSASSA-PKCS1-v1_5', h, Buffer.from('other'), sig)).toBe(false);
    });
    it(`RSA PKCS#1 v1.5 ${h} over data`, async () => {
      const sig = await rsa.token.sign(rsa.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: h, data });
      expect(verifyWithCert(rsa.object.der, 'RSASSA-PKCS1-v1_5', h, data, sig)).toBe(true);
    });
    it(`RSA-PSS ${h} over a hash and over data`, async () => {
      const overHash = await rsa.token.sign(rsa.object, { algorithm: 'RSA-PSS', hashAlgorithm: h, hash: digest(h) });
      const overData = await rsa.token.sign(rsa.object, { algorithm: 'RSA-PSS', hashAlgorithm: h, data });
      expect(verifyWithCert(rsa.object.der, 'RSA-PSS', h, data, overHash, HASH_LENGTH[h])).toBe(true);
      expect(verifyWithCert(rsa.object.der, 'RSA-PSS', h, data, overData, HASH_LENGTH[h])).toBe(true);
      expect(overHash.equals(overData)).toBe(false); // PSS is randomised
    });
    it(`ECDSA P-256 with ${h} (host hash + CKM_ECDSA), raw r‖s and DER`, async () => {
      const raw = await ec.token.sign(ec.object, { algorithm: 'ECDSA', hashAlgorithm: h, hash: digest(h) });
      expect(raw.length).toBe(64);
      expect(verifyWithCert(ec.object.der, 'ECDSA', h, data, raw)).toBe(true);
      const der = ecdsaRawToDer(raw);
      expect(der[0]).toBe(0x30);
      const key = new X509Certificate(ec.object.der).publicKey;
      expect(verify(h.replace('-', '').toLowerCase(), data, { key, dsaEncoding: 'der' }, der)).toBe(true);
      const overData = await ec.token.sign(ec.object, { algorithm: 'ECDSA', hashAlgorithm: h, data });
      expect(verifyWithCert(ec.object.der, 'ECDSA', h, data, overData)).toBe(true);
    });
  }

  it('refuses a hash whose length does not match its algorithm', async () => {
    await expect(rsa.token.sign(rsa.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', hash: Buffer.alloc(20) }))
      .rejects.toMatchObject({ code: 'INVALID_PARAMS' });
  });

  it('answers an RSA mechanism on an EC key with MECHANISM_INVALID', async () => {
    await expect(ec.token.sign(ec.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', hash: digest('SHA-256') }))
      .rejects.toMatchObject({ code: 'MECHANISM_INVALID' });
  });

  it('signs with login-sign-logout as one job, and is logged out after', async () => {
    const gov = (await manager.userCertificates()).find((c) => c.object.label === 'leaf-civil-servant')!;
    const sig = await gov.token.signWithPin(gov.object, tokenSpec('KYSO CO QUAN').userPin, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', hash: digest('SHA-256') });
    expect(verifyWithCert(gov.object.der, 'RSASSA-PKCS1-v1_5', 'SHA-256', data, sig)).toBe(true);
    expect(gov.token.loggedIn).toBe(false);
    await expect(gov.token.sign(gov.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', hash: digest('SHA-256') }))
      .rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
  });
});
