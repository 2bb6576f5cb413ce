import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteSoftHsmToken } from '../certs-fixtures/softhsm.js';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import type { TokenJson } from '../src/types.js';
import { freshSoftHsm, provisionInChild, tokenSpec } from './support/softhsm.js';
import { openManager } from './support/tokens.js';

describe('a token deleted while signing', () => {
  const org = tokenSpec('KYSO DOANH NGHIEP');
  const gov = tokenSpec('KYSO CO QUAN');
  const env = freshSoftHsm([org, gov]);
  let manager: TokenManager;

  beforeAll(async () => { manager = await openManager(env); });
  afterAll(() => { manager.close(); env.cleanup(); });

  it('gives TOKEN_REMOVED, keeps the other token working, and finds the re-created token without a restart', async () => {
    const certs = await manager.userCertificates();
    const victim = certs.find((c) => c.object.label === 'leaf-org')!;
    const other = certs.find((c) => c.object.label === 'leaf-civil-servant')!;
    await victim.token.login(org.userPin);
    const changes: TokenJson[][] = [];
    manager.on('changed', (t) => changes.push(t));

    const errors: string[] = [];
    let ok = 0;
    let deleted = false;
    for (let i = 0; i < 400 && errors.length === 0; i++) {
      if (i === 20) { deleteSoftHsmToken(env, org.label); deleted = true; }
      try {
        await victim.token.sign(victim.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', data: Buffer.from(`n${i}`) });
        ok++;
      } catch (e) {
        errors.push((e as { code: string }).code);
      }
    }
    expect(deleted).toBe(true);
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(errors).toEqual(['TOKEN_REMOVED']);
    expect(victim.token.removed).toBe(true);
    await expect(victim.token.sign(victim.object, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', data: Buffer.from('x') }))
      .rejects.toMatchObject({ code: 'TOKEN_REMOVED' });

    // The other token keeps serving.
    const sig = await other.token.signWithPin(other.object, gov.userPin, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', data: Buffer.from('still here') });
    expect(sig.length).toBe(256);

    await manager.refresh();
    expect(manager.tokenJson().map((t) => t.label)).toEqual([gov.label]);
    expect(changes.at(-1)?.map((t) => t.label)).toEqual([gov.label]);

    // Re-created in the store by another process: found after a rescan, same process.
    provisionInChild(env.dir, [org, gov]);
    await manager.refresh({ rescan: true });
    expect(manager.tokenJson().map((t) => t.label).sort()).toEqual([org.label, gov.label].sort());
    const again = (await manager.userCertificates()).find((c) => c.object.label === 'leaf-org')!;
    const sig2 = await again.token.signWithPin(again.object, org.userPin, { algorithm: 'RSASSA-PKCS1-v1_5', hashAlgorithm: 'SHA-256', data: Buffer.from('back') });
    expect(sig2.length).toBe(256);
  });
});

describe('a module re-initialisation under a running request', () => {
  const gov = tokenSpec('KYSO CO QUAN');
  const env = freshSoftHsm([gov]);
  let manager: TokenManager;

  beforeAll(async () => { manager = await openManager(env); });
  afterAll(() => { manager.close(); env.cleanup(); });

  it('keeps the Token object: queued and later signs on it succeed, the login is gone', async () => {
    const [cert] = await manager.userCertificates();
    const token = cert.token;
    await token.login(gov.userPin);
    const req = { algorithm: 'RSASSA-PKCS1-v1_5' as const, hashAlgorithm: 'SHA-256' as const, data: Buffer.from('trước') };
    const queued = token.signWithPin(cert.object, gov.userPin, req); // queued around the rescan
    await manager.refresh({ rescan: true });
    expect((await queued).length).toBe(256);
    expect(token.removed).toBe(false);
    expect(manager.getToken(token.id)).toBe(token);
    expect(token.loggedIn).toBe(false); // C_Finalize ended the login
    const after = await token.signWithPin(cert.object, gov.userPin, { ...req, data: Buffer.from('sau') });
    expect(after.length).toBe(256);
  });
});
