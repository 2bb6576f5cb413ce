// Identity profile over the fixture leaves, the real BkavCA licence leaf, and minted subjects
// (2.5.4.97, several UIDs, PID/HC/BHXH, e-mail in the subject).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identityJson, parseIdentity } from '../src/certs/index.js';
import { x509 } from '../src/certs/x509.js';
import { fixtureCert } from './support/pki-server.js';

const TRUST = new URL('../../shared/trust/', import.meta.url);

/** A JSON name with explicit string types (utf8String, printableString…), which the library takes but does not type. */
type TypedJsonName = Record<string, unknown[]>[];

async function selfSigned(subject: TypedJsonName, email?: string): Promise<x509.X509Certificate> {
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']) as CryptoKeyPair;
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: new x509.Name(subject as unknown as x509.JsonName), keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    notBefore: new Date('2024-01-01'), notAfter: new Date('2030-01-01'),
    extensions: email ? [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: email }])] : [],
  });
}
const utf8 = (oid: string, v: string) => ({ [oid]: [{ utf8String: v }] });

describe('parseIdentity', () => {
  it('organisation: O, CN, MST, province, e-mail, CA name', () => {
    const id = parseIdentity(fixtureCert('leaf-org'));
    expect(id).toMatchObject({
      kind: 'organization', organization: 'Công ty TNHH Phần mềm Dương Hòa', commonName: 'Công ty TNHH Phần mềm Dương Hòa',
      taxCode: '3301234567', taxCodeBase: '3301234567', province: 'Thừa Thiên Huế', locality: 'Thị xã Hương Thủy',
      email: 'ketoan@duonghoa.example.vn', caName: 'Kyso Test VNPT-CA SHA2',
    });
    expect(id.taxCodeBranch).toBeUndefined();
  });

  it('person with CCCD', () => {
    expect(parseIdentity(fixtureCert('leaf-person'))).toMatchObject({ kind: 'person', commonName: 'Nguyễn Thị Hồng Nhung', citizenId: '001190012345', province: 'Hà Nội', caName: 'Kyso Test Viettel-CA EC' });
  });

  it('civil servant under the government CA: CMND, title, unit', () => {
    expect(parseIdentity(fixtureCert('leaf-civil-servant'))).toMatchObject({
      kind: 'civil-servant', commonName: 'Lê Văn Thúc', organization: 'UBND xã Dương Hòa', organizationalUnit: 'Văn phòng', title: 'Chủ tịch', legacyId: '191234567',
    });
  });

  it('two UIDs: MST with branch suffix and CCCD → a person (household business)', () => {
    const id = parseIdentity(fixtureCert('leaf-mst-cccd'));
    expect(id).toMatchObject({ kind: 'person', taxCode: '0401234567-001', taxCodeBase: '0401234567', taxCodeBranch: '001', citizenId: '048085000321' });
    expect(id.identifiers.map((i) => i.type)).toEqual(['MST', 'CCCD']);
  });

  it('real BkavCA licence leaf: MST 0101360697 with branch suffix', () => {
    const cert = new x509.X509Certificate(readFileSync(new URL('bkavca-license-leaf-2018.pem', TRUST), 'utf8'));
    expect(parseIdentity(cert)).toMatchObject({
      kind: 'organization', commonName: 'BkavCA License', organization: 'Công ty Cổ phần Bkav', taxCode: '0101360697-BkavCALicense',
      taxCodeBase: '0101360697', taxCodeBranch: 'BkavCALicense', province: 'Hà Nội', locality: 'Cầu Giấy', caName: 'BkavCA',
    });
  });

  it('2.5.4.97 organizationIdentifier (ETSI VATVN-…), HC, BHXH, PID, subject e-mail', async () => {
    const cert = await selfSigned([
      { '2.5.4.6': [{ printableString: 'VN' }] }, utf8('2.5.4.10', 'Công ty Cổ phần Ánh Dương'), utf8('2.5.4.3', 'Phạm Thị Ánh'),
      utf8('2.5.4.97', 'VATVN-0312345678-002'), utf8('0.9.2342.19200300.100.1.1', 'HC:C1234567'),
      utf8('0.9.2342.19200300.100.1.1', 'BHXH:7912345678'), utf8('0.9.2342.19200300.100.1.1', 'PID:079190001234'),
      { '1.2.840.113549.1.9.1': [{ ia5String: 'anh@example.vn' }] },
    ]);
    const id = parseIdentity(cert);
    expect(id).toMatchObject({
      organizationIdentifier: 'VATVN-0312345678-002', taxCode: '0312345678-002', taxCodeBranch: '002', passport: 'C1234567',
      socialInsurance: '7912345678', citizenId: '079190001234', email: 'anh@example.vn', kind: 'person',
    });
    expect(id.identifiers.find((i) => i.type === 'MST')?.source).toBe('2.5.4.97');
  });

  it('decomposed Vietnamese (NFD) is normalised to NFC', async () => {
    const cert = await selfSigned([utf8('2.5.4.3', 'Nguyễn Văn Ánh'.normalize('NFD'))]);
    expect(parseIdentity(cert).commonName).toBe('Nguyễn Văn Ánh'.normalize('NFC'));
  });

  it('identityJson keeps only the public IdentityJson fields', () => {
    const json = identityJson(parseIdentity(fixtureCert('leaf-mst-cccd')));
    expect(json).toEqual({ commonName: 'Trần Văn Bình', organization: 'Hộ kinh doanh Trần Văn Bình', taxCode: '0401234567-001', citizenId: '048085000321' });
  });
});
