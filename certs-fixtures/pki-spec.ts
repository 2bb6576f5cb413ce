// The test PKI, modelled on the Vietnamese hierarchy (national root → licensed CAs,
// government root → CA for state bodies). Dates are fixed so the set is deterministic;
// "valid" windows run to 2045 so tests do not rot, expired/not-yet-valid ones stay so.

/** Port of the loopback OCSP/CRL/AIA server the tests start (URLs are baked into certs). */
export const PKI_HTTP_PORT = 39180;
export const PKI_HTTP_BASE = `http://127.0.0.1:${PKI_HTTP_PORT}`;

export type KeySpec = 'RSA-2048' | 'RSA-4096' | 'EC-P256' | 'EC-P384';
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384';

/** One relative distinguished name attribute: [short name or OID, value]. */
export type NameAttr = [string, string];

export interface CertSpec {
  name: string;
  /** Issuer's spec name; undefined for a self-signed root. */
  issuer?: string;
  subject: NameAttr[];
  key: KeySpec;
  /** Hash the issuer signs this certificate with. */
  hash: HashName;
  serial: string;
  notBefore: string;
  notAfter: string;
  ca?: { pathLength?: number };
  keyUsage?: string[];
  extKeyUsage?: string[];
  /** Marks extendedKeyUsage critical (RFC 3161 requires it for a TSA certificate). */
  extKeyUsageCritical?: boolean;
  /** Adds AIA (OCSP + caIssuers) and CRL distribution point of the issuer. */
  revocationUrls?: boolean;
  email?: string;
  /** Free-text note on what the certificate is for in tests. */
  purpose: string;
}

export const UID = '0.9.2342.19200300.100.1.1';
const VALID_FROM = '2024-01-01T00:00:00Z';
const VALID_TO = '2045-12-31T23:59:59Z';
const ROOT_FROM = '2020-01-01T00:00:00Z';
const ROOT_TO = '2049-12-31T23:59:59Z';
const LEAF_KU = ['digitalSignature', 'nonRepudiation'];
const LEAF_EKU = ['clientAuth', 'emailProtection', '1.3.6.1.4.1.311.10.3.12'];
const CA_KU = ['keyCertSign', 'cRLSign'];

export const CERTS: CertSpec[] = [
  {
    name: 'root-national', subject: [['C', 'VN'], ['O', 'Kyso Test National Centre of Digital Signature Authentication'], ['CN', 'Kyso Test Vietnam National Root CA']],
    key: 'RSA-4096', hash: 'SHA-256', serial: '10', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: {}, keyUsage: CA_KU,
    purpose: 'national root (Vietnam National Root CA style)',
  },
  {
    name: 'root-gov', subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ (thử nghiệm)'], ['CN', 'Kyso Test RootCA chuyên dùng Chính phủ G2']],
    key: 'RSA-4096', hash: 'SHA-256', serial: '20', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: {}, keyUsage: CA_KU,
    purpose: 'government root (Ban Cơ yếu style)',
  },
  {
    name: 'root-untrusted', subject: [['C', 'VN'], ['O', 'Không tin cậy'], ['CN', 'Kyso Untrusted Root CA']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '30', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: {}, keyUsage: CA_KU,
    purpose: 'a root no test trusts',
  },
  {
    name: 'ca-rsa', issuer: 'root-national', subject: [['C', 'VN'], ['O', 'VNPT Group (thử nghiệm)'], ['OU', 'VNPT-CA'], ['CN', 'Kyso Test VNPT-CA SHA2']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '1001', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: { pathLength: 0 }, keyUsage: CA_KU,
    revocationUrls: true, purpose: 'licensed public CA, RSA',
  },
  {
    name: 'ca-ec', issuer: 'root-national', subject: [['C', 'VN'], ['O', 'Viettel Group (thử nghiệm)'], ['CN', 'Kyso Test Viettel-CA EC']],
    key: 'EC-P384', hash: 'SHA-384', serial: '1002', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: { pathLength: 0 }, keyUsage: CA_KU,
    revocationUrls: true, purpose: 'licensed public CA, EC P-384',
  },
  {
    name: 'ca-gov', issuer: 'root-gov', subject: [['C', 'VN'], ['O', 'Ban Cơ yếu Chính phủ (thử nghiệm)'], ['CN', 'Kyso Test CA phục vụ các cơ quan Nhà nước G2']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '2001', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: { pathLength: 0 }, keyUsage: CA_KU,
    revocationUrls: true, purpose: 'CA for civil servants',
  },
  {
    name: 'ca-untrusted', issuer: 'root-untrusted', subject: [['C', 'VN'], ['CN', 'Kyso Untrusted Issuing CA']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '3001', notBefore: ROOT_FROM, notAfter: ROOT_TO, ca: { pathLength: 0 }, keyUsage: CA_KU,
    purpose: 'issuing CA under the untrusted root',
  },
  {
    name: 'ocsp-ca-rsa', issuer: 'ca-rsa', subject: [['C', 'VN'], ['CN', 'Kyso Test VNPT-CA OCSP Responder']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '1F01', notBefore: VALID_FROM, notAfter: VALID_TO,
    keyUsage: ['digitalSignature'], extKeyUsage: ['1.3.6.1.5.5.7.3.9'], purpose: 'delegated OCSP responder of ca-rsa',
  },
  // ---- leaves ----
  {
    name: 'leaf-org', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['ST', 'Thừa Thiên Huế'], ['L', 'Thị xã Hương Thủy'], ['O', 'Công ty TNHH Phần mềm Dương Hòa'], ['CN', 'Công ty TNHH Phần mềm Dương Hòa'], [UID, 'MST:3301234567']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '5A0001', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, email: 'ketoan@duonghoa.example.vn', purpose: 'organisation, RSA-2048, MST',
  },
  {
    name: 'leaf-person', issuer: 'ca-ec',
    subject: [['C', 'VN'], ['ST', 'Hà Nội'], ['CN', 'Nguyễn Thị Hồng Nhung'], [UID, 'CCCD:001190012345']],
    key: 'EC-P256', hash: 'SHA-384', serial: '6B0001', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, purpose: 'citizen, EC P-256, CCCD',
  },
  {
    name: 'leaf-civil-servant', issuer: 'ca-gov',
    subject: [['C', 'VN'], ['ST', 'Thừa Thiên Huế'], ['O', 'UBND xã Dương Hòa'], ['OU', 'Văn phòng'], ['T', 'Chủ tịch'], ['CN', 'Lê Văn Thúc'], [UID, 'CMND:191234567']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '7C0001', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, email: 'thuc.lv@duonghoa.example.gov.vn', purpose: 'civil servant under the government root',
  },
  {
    name: 'leaf-mst-cccd', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['ST', 'Đà Nẵng'], ['O', 'Hộ kinh doanh Trần Văn Bình'], ['CN', 'Trần Văn Bình'], [UID, 'MST:0401234567-001'], [UID, 'CCCD:048085000321']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '5A0002', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, purpose: 'both MST (branch suffix) and CCCD',
  },
  {
    name: 'leaf-expired', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['O', 'Công ty Cổ phần Hết Hạn'], ['CN', 'Công ty Cổ phần Hết Hạn'], [UID, 'MST:3300000001']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '5A0003', notBefore: '2020-06-01T00:00:00Z', notAfter: '2021-06-01T00:00:00Z', keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, purpose: 'expired (2020-06-01 → 2021-06-01)',
  },
  {
    name: 'leaf-not-yet-valid', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['O', 'Công ty Tương Lai'], ['CN', 'Công ty Tương Lai'], [UID, 'MST:3300000002']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '5A0004', notBefore: '2044-01-01T00:00:00Z', notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, purpose: 'not yet valid (from 2044)',
  },
  {
    name: 'leaf-revoked', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['O', 'Công ty Bị Thu Hồi'], ['CN', 'Công ty Bị Thu Hồi'], [UID, 'MST:3300000003']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '5A0005', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, purpose: 'revoked: OCSP/CRL tests answer revoked for it',
  },
  {
    name: 'leaf-untrusted', issuer: 'ca-untrusted',
    subject: [['C', 'VN'], ['O', 'Công ty Không Rõ Nguồn'], ['CN', 'Công ty Không Rõ Nguồn'], [UID, 'MST:3300000004']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '8D0001', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    purpose: 'chains to an untrusted root',
  },
  {
    name: 'leaf-no-sign-usage', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['O', 'Công ty Chỉ Mã Hóa'], ['CN', 'Công ty Chỉ Mã Hóa'], [UID, 'MST:3300000005']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '5A0006', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: ['keyEncipherment', 'dataEncipherment'], extKeyUsage: ['emailProtection'],
    revocationUrls: true, purpose: 'no digitalSignature/nonRepudiation',
  },
  {
    name: 'leaf-sha1', issuer: 'ca-rsa',
    subject: [['C', 'VN'], ['O', 'Công ty Chữ Ký Cũ'], ['CN', 'Công ty Chữ Ký Cũ'], [UID, 'MST:3300000006']],
    key: 'RSA-2048', hash: 'SHA-1', serial: '5A0007', notBefore: VALID_FROM, notAfter: VALID_TO, keyUsage: LEAF_KU, extKeyUsage: LEAF_EKU,
    revocationUrls: true, purpose: 'legacy SHA-1 signature (accepted with a warning)',
  },
  // ---- services ----
  {
    name: 'tsa-ca-rsa', issuer: 'ca-rsa', subject: [['C', 'VN'], ['O', 'VNPT Group (thử nghiệm)'], ['CN', 'Kyso Test VNPT-CA Time Stamping Authority']],
    key: 'RSA-2048', hash: 'SHA-256', serial: '1F02', notBefore: VALID_FROM, notAfter: VALID_TO,
    keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: ['1.3.6.1.5.5.7.3.8'], extKeyUsageCritical: true,
    revocationUrls: true, purpose: 'RFC 3161 time-stamping authority (the loopback TSA of the document tests)',
  },
];

/** The SoftHSM tokens the tests and the demo provision. */
export interface TokenSpec {
  label: string;
  serialHint: string;
  userPin: string;
  soPin: string;
  /** Leaf names whose key + certificate go on the token. */
  leaves: string[];
  /** CA certificates stored as authority objects. */
  cas: string[];
  purpose: string;
}

export const TOKENS: TokenSpec[] = [
  { label: 'KYSO DOANH NGHIEP', serialHint: 'org', userPin: '123456', soPin: '12345678', leaves: ['leaf-org', 'leaf-mst-cccd'], cas: ['ca-rsa', 'root-national'], purpose: 'organisation token (VNPT-CA style)' },
  { label: 'KYSO CONG DAN', serialHint: 'citizen', userPin: '246810', soPin: '12345678', leaves: ['leaf-person'], cas: ['ca-ec', 'root-national'], purpose: 'citizen token, EC key' },
  { label: 'KYSO CO QUAN', serialHint: 'gov', userPin: '135790', soPin: '12345678', leaves: ['leaf-civil-servant'], cas: ['ca-gov', 'root-gov'], purpose: 'civil-servant token (Ban Cơ yếu style)' },
  { label: 'KYSO HET HAN', serialHint: 'expired', userPin: '111111', soPin: '12345678', leaves: ['leaf-expired'], cas: ['ca-rsa'], purpose: 'token whose certificate expired' },
];
