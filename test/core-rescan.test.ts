// A module re-initialisation while the user is in the consent/PIN dialogs must not fail the
// sign: the manager moves the same Token object onto the new handles.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dialogs } from '../src/core/dialogs.js';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { openManager, verifyWithCert } from './support/tokens.js';
import { testCore } from './support/core.js';

describe('core signing across a module re-initialisation', () => {
  const spec = tokenSpec('KYSO CO QUAN');
  const env = freshSoftHsm([spec]);
  let manager: TokenManager;
  afterAll(() => { manager?.close(); env.cleanup(); });

  it('re-scans during the consent and PIN dialogs, and still signs with the same certificate id', async () => {
    manager = await openManager(env);
    const rescan = () => manager.refresh({ rescan: true });
    const dialogs: Dialogs = {
      confirm: async () => { await rescan(); },
      getPin: async () => { await rescan(); return spec.userPin; },
      confirmOrigin: async () => true,
      confirmRawSigning: async () => true,
      chooseCertificate: async () => 0,
    };
    const { core } = testCore({
      manager, dialogs, rawSigningOrigins: ['https://portal.example'],
      validation: { trustAnchors: [readFileSync(join(OUT_DIR, 'root-gov.pem'))], revocation: 'off', network: false },
    });
    const [cert] = await manager.userCertificates();
    const before = cert.token;
    const hash = createHash('sha256').update('giấy tờ').digest();
    const res = await core.signHash({ origin: 'https://portal.example' }, { certificateId: cert.id, hash, hashAlgorithm: 'SHA-256' });
    const sig = res.signature;
    expect(before.removed).toBe(false);
    expect(manager.getToken(before.id)).toBe(before); // the object the request held, rebound
    expect(before.generation).toBe(before.module.generation);
    expect(verifyWithCert(cert.object.der, 'RSASSA-PKCS1-v1_5', 'SHA-256', Buffer.from('giấy tờ'), sig)).toBe(true);
  });
});
