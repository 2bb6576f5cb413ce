// The official Vietnamese trust anchors, pinned by SHA-256 fingerprint of the DER certificate.
// The product ships no certificate files: a root becomes usable when a certificate with one of
// these fingerprints is seen (token CA objects, `roots import`, intermediates, AIA).
// Fingerprints taken from the CA-published certificates (rootca.gov.vn/crt/, ca.gov.vn/pki/pub/crt/).
import { normalizeFingerprint } from './pem.js';

export interface RootPin {
  id: string;
  name: string;
  sha256: string;
  /** Who runs it and whom it certifies. */
  note: string;
}

export const OFFICIAL_ROOTS: readonly RootPin[] = [
  {
    id: 'vn-national-root',
    name: 'Vietnam National Root CA',
    sha256: 'BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7',
    note: 'Bộ TT&TT (NEAC), 2014–2039, RSA-4096: licensed public CAs (VNPT-CA, Viettel-CA, …)',
  },
  {
    id: 'mic-national-root',
    name: 'MIC National Root CA',
    sha256: 'CA918D635BB130BEC97639E6AABF7EDBC4EB1310F8058B9419F467AE0230AD8C',
    note: 'Bộ TT&TT, 2008–2040, RSA-2048/SHA-1: older licensed public CAs (BkavCA 2015, …)',
  },
  {
    id: 'bcy-rootca-g2',
    name: 'RootCA chuyên dùng Chính phủ G2',
    sha256: 'F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8',
    note: 'Ban Cơ yếu Chính phủ, 2018–2048: CA phục vụ các cơ quan Nhà nước G2',
  },
];

export function findPin(fp: string): RootPin | undefined {
  const n = normalizeFingerprint(fp);
  return OFFICIAL_ROOTS.find((p) => p.sha256 === n);
}
