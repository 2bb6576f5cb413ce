// The certificate chooser as the core builds it: unusable certificates are shown (last) with
// the reason, the first page fits the page's audience, and the origin's last choice comes first.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import type { ChooseCertificateRequest, Dialogs } from '../src/core/dialogs.js';
import type { TokenManager } from '../src/pkcs11/token-manager.js';
import { testCore } from './support/core.js';
import { freshSoftHsm, tokenSpec } from './support/softhsm.js';
import { openManager } from './support/tokens.js';

const ORG = tokenSpec('KYSO DOANH NGHIEP');
const EXPIRED = tokenSpec('KYSO HET HAN');
const NONCE = 'n'.repeat(43);

describe('certificate chooser', () => {
  const env = freshSoftHsm([ORG, EXPIRED]);
  let manager: TokenManager;
  afterAll(() => { manager?.close(); env.cleanup(); });

  it('shows the expired certificate with its reason, starts at the audience, then at the last choice', async () => {
    manager = await openManager(env);
    const asked: ChooseCertificateRequest[] = [];
    let pickIndex = 0;
    const dialogs: Dialogs = {
      confirm: async () => undefined,
      getPin: async (r) => (r.tokenLabel === ORG.label ? ORG.userPin : EXPIRED.userPin),
      confirmOrigin: async () => true,
      confirmRawSigning: async () => false,
      chooseCertificate: async (req) => { asked.push(req); return pickIndex; },
    };
    const { core } = testCore({
      manager, dialogs, allowOrigins: ['https://portal.example', 'https://other.example'],
      validation: { trustAnchors: [readFileSync(join(OUT_DIR, 'root-national.pem'))], revocation: 'off', network: false },
    });
    const ctx = { origin: 'https://portal.example' };

    await core.authSign(ctx, { nonce: NONCE, audience: 'person' });
    const first = asked[0]!;
    expect(first.certificates).toHaveLength(3);
    const usable = first.certificates.filter((c) => !c.unusable);
    expect(usable).toHaveLength(2);
    expect(first.certificates.at(-1)!.unusable).toMatchObject({ vi: expect.stringContaining('hết hạn'), en: expect.stringContaining('expired') });
    // leaf-mst-cccd carries a CCCD: a person's certificate, so the chooser opens on it.
    expect(first.certificates[first.start!]!.citizenId).toBeTruthy();

    // Another site, no choice remembered: the organisation's certificate first.
    await core.authSign({ origin: 'https://other.example' }, { nonce: NONCE, audience: 'organization' });
    const second = asked[1]!;
    expect(second.certificates[second.start!]!.citizenId).toBeFalsy();
    expect(second.start).not.toBe(first.start);
    // Back on the first site: its last choice comes first, whatever the audience says.
    pickIndex = 1;
    await core.authSign(ctx, { nonce: NONCE });
    await core.authSign(ctx, { nonce: NONCE, audience: 'person' });
    expect(asked[3]!.start).toBe(1);
  });
});
