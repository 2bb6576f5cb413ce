// A time-stamp dates a signature only when its TSA certificate is trusted: a token made with any
// key (here an untrusted CA's leaf) must not move an expired signer back into its validity.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUT_DIR } from '../certs-fixtures/paths.js';
import type { CmsSignerCheck } from '../src/documents/cms-verify.js';
import { reportFromCms } from '../src/documents/signature-report.js';

const der = (name: string) => Buffer.from(readFileSync(join(OUT_DIR, `${name}.pem`), 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
const opts = { trustAnchors: [readFileSync(join(OUT_DIR, 'root-national.pem'))], revocation: 'off' as const, network: false };

function check(signer: string, tsa: string, time: string): CmsSignerCheck {
  return {
    integrity: true, certificate: der(signer), certificates: [der('ca-rsa'), der('ca-untrusted')], hasSigningCertificateV2: true,
    timestamp: { integrity: true, time: new Date(time), certificate: der(tsa), certificates: [der('ca-rsa'), der('ca-untrusted')] },
  };
}

describe('time-stamp trust in signature reports', () => {
  it('an untrusted TSA: the time-stamp does not count, the expired signer is judged now', async () => {
    const r = await reportFromCms(check('leaf-expired', 'leaf-untrusted', '2020-12-01T00:00:00Z'), 'cms', opts);
    expect(r.timestamp?.valid).toBe(false);
    expect(r.timestamp?.error).toMatch(/TSA certificate is not trusted/);
    expect(r.validation.code).toBe('EXPIRED');
    expect(r.valid).toBe(false);
  });

  it('a trusted TSA: the signature is judged at the stamped time', async () => {
    const r = await reportFromCms(check('leaf-org', 'tsa-ca-rsa', '2030-01-01T00:00:00Z'), 'cms', opts);
    expect(r.timestamp?.valid).toBe(true);
    expect(r.validation.ok).toBe(true);
    expect(r.valid).toBe(true);
  });
});
