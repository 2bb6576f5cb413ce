import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../certs-fixtures/pki-spec.js';
import { certificateView } from '../src/core/certificate-view.js';
import { credentialOf } from '../src/pkcs11/pkcs11-provider.js';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import { sharedSoftHsm } from './support/softhsm.js';
import { openManager } from './support/tokens.js';

describe('token enumeration over SoftHSM', () => {
  const env = sharedSoftHsm();
  // A copy of the library at another path is a second, independent module load.
  const copy = join(mkdtempSync(join(tmpdir(), 'kyso-mod-')), 'libsofthsm2-copy.so');
  let manager: TokenManager;

  beforeAll(async () => {
    copyFileSync(env.modulePath, copy);
    manager = await openManager(env, [copy, '/nonexistent/libmissing.so']);
  });
  afterAll(() => manager.close());

  it('reports a module that fails to load without failing the others', () => {
    const statuses = manager.moduleStatus();
    expect(statuses.filter((s) => s.loaded).map((s) => s.path)).toEqual([env.modulePath, copy]);
    const missing = statuses.find((s) => s.path === '/nonexistent/libmissing.so');
    expect(missing?.loaded).toBe(false);
    expect(missing?.error).toBeTruthy();
  });

  it('lists every fixture token from both module loads, with stable distinct ids', () => {
    const tokens = manager.tokenJson();
    for (const spec of TOKENS) {
      const found = tokens.filter((t) => t.label === spec.label);
      expect(found.map((t) => t.module.path).sort()).toEqual([env.modulePath, copy].sort());
      expect(new Set(found.map((t) => t.id)).size).toBe(2);
      for (const t of found) {
        expect(t.manufacturer).toBe('SoftHSM project');
        expect(t.serial).toMatch(/^[0-9a-f]{16}$/);
        expect(t.pin).toEqual({ loginRequired: true, protectedAuthenticationPath: false, countLow: false, finalTry: false, locked: false, retriesLeft: null });
      }
    }
    expect(tokens.some((t) => t.label === '')).toBe(false); // SoftHSM's blank spare slot is hidden
  });

  it('keeps token ids across a module re-initialisation (slot ids may change)', async () => {
    const before = manager.tokenJson().map((t) => t.id).sort();
    await manager.refresh({ rescan: true });
    expect(manager.tokenJson().map((t) => t.id).sort()).toEqual(before);
  });

  it('reads certificates without login and pairs them with keys', async () => {
    const certs = (await manager.userCertificates()).filter((c) => c.token.module.path === env.modulePath).map((c) => certificateView(credentialOf(c)));
    const byLabel = new Map(certs.map((c) => [c.label, c]));
    const allLeaves = TOKENS.flatMap((t) => t.leaves).sort();
    expect([...byLabel.keys()].sort()).toEqual(allLeaves);
    const org = byLabel.get('leaf-org')!;
    expect(org.identity).toMatchObject({ taxCode: '3301234567', organization: 'Công ty TNHH Phần mềm Dương Hòa' });
    expect(org.keyAlgorithm).toBe('RSA-2048');
    expect(org.hasPrivateKey).toBe(true);
    expect(org.serialNumber).toBe('5A0001');
    expect(org.subject).toContain('UID=MST:3301234567');
    expect(org.notAfter).toBe('2045-12-31T23:59:59.000Z');
    const person = byLabel.get('leaf-person')!;
    expect(person.keyAlgorithm).toBe('EC-P256');
    expect(person.identity.citizenId).toBe('001190012345');
    const both = byLabel.get('leaf-mst-cccd')!;
    expect(both.identity).toMatchObject({ taxCode: '0401234567-001', citizenId: '048085000321' });
    expect(byLabel.get('leaf-civil-servant')!.identity.legacyId).toBe('191234567');
    expect(org.id.startsWith(org.tokenId)).toBe(true);
  });

  it('keeps CA certificates out of the user list but offers them as chain material', async () => {
    const org = manager.tokenJson().find((t) => t.label === 'KYSO DOANH NGHIEP' && t.module.path === env.modulePath)!;
    const cas = await manager.authorityCertificates(org.id);
    expect(cas.map((c) => c.subject).join('|')).toContain('Kyso Test VNPT-CA SHA2');
    const users = await manager.userCertificates(org.id);
    expect(users.every((u) => !u.object.isCa)).toBe(true);
  });

  it('answers an unknown token or certificate id with a typed error', async () => {
    expect(() => manager.getToken('0000000000000000')).toThrowError(expect.objectContaining({ code: 'TOKEN_NOT_PRESENT' }));
    await expect(manager.findCertificate('0000000000000000-00')).rejects.toMatchObject({ code: 'CERTIFICATE_NOT_FOUND' });
  });
});
