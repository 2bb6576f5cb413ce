import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCertificate, TokenManager } from '../src/pkcs11/token-manager.js';
import { sharedSoftHsm, tokenSpec } from './support/softhsm.js';
import { openRsaAndEc, verifyWithCert } from './support/tokens.js';

describe('concurrency on one token', () => {
  const env = sharedSoftHsm();
  let manager: TokenManager;
  let rsa: TokenCertificate;
  let ec: TokenCertificate;

  beforeAll(async () => {
    ({ manager, rsa, ec } = await openRsaAndEc(env));
  });
  afterAll(() => manager.close());

  it('64 concurrent signs on a logged-in token: 0 errors, all verify', async () => {
    await rsa.token.login(tokenSpec('KYSO DOANH NGHIEP').userPin);
    const inputs = Array.from({ length: 64 }, (_, i) => Buffer.from(`tài liệu số ${i}`));
    const results = await Promise.allSettled(inputs.map((d) => rsa.token.sign(rsa.object, {
      algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', hash: createHash('sha256').update(d).digest(),
    })));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toEqual([]);
    results.forEach((r, i) => expect(verifyWithCert(rsa.object.der, 'RSASSA-PKCS1-v1_5', 'SHA-256', inputs[i], (r as PromiseFulfilledResult<Buffer>).value)).toBe(true));
    await rsa.token.logout();
  });

  it('64 concurrent login-sign-logout jobs mixed over two tokens never collide', async () => {
    const jobs = Array.from({ length: 64 }, (_, i) => {
      const c = i % 2 === 0 ? rsa : ec;
      const pin = tokenSpec(c === rsa ? 'KYSO DOANH NGHIEP' : 'KYSO CONG DAN').userPin;
      const data = Buffer.from(`job ${i}`);
      const alg = c === rsa ? 'RSASSA-PKCS1-v1_5' as const : 'ECDSA' as const;
      return c.token.signWithPin(c.object, pin, { algorithm: alg, hashAlgorithm: 'SHA-256', data })
        .then((sig) => verifyWithCert(c.object.der, alg, 'SHA-256', data, sig));
    });
    const results = await Promise.allSettled(jobs);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(results.every((r) => (r as PromiseFulfilledResult<boolean>).value)).toBe(true);
    expect(rsa.token.loggedIn || ec.token.loggedIn).toBe(false);
  });
});
