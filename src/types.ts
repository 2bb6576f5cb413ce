// Public JSON shapes: `kyso-bridge tokens --json`, `certs --json`, and the WebSocket API share them.

export interface PinState {
  loginRequired: boolean;
  /** PIN pad on the device: no PIN dialog, the user types on the token. */
  protectedAuthenticationPath: boolean;
  countLow: boolean;
  finalTry: boolean;
  locked: boolean;
  /** LOCKED → 0, FINAL_TRY → 1, otherwise unknown (null): PKCS#11 tells no more. */
  retriesLeft: number | null;
}

export interface TokenJson {
  /** Stable across replug and process restarts: derived from module, serial and label. */
  id: string;
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  module: { path: string; name: string };
  pin: PinState;
}

/** Vietnamese identity fields read from a certificate subject; absent ones are omitted. */
export interface IdentityJson {
  commonName?: string;
  organization?: string;
  /** MST, with branch suffix when present (e.g. 0100686209-199). */
  taxCode?: string;
  /** CCCD, 12 digits. */
  citizenId?: string;
  /** CMND, the old 9/12-digit identity card. */
  legacyId?: string;
  /** HC: passport number. */
  passport?: string;
  /** BHXH: social-insurance code. */
  socialInsurance?: string;
  email?: string;
}

export interface CertificateJson {
  /** Stable: tokenId + certificate SHA-256 prefix. */
  id: string;
  tokenId: string;
  label: string;
  /** base64 DER. */
  certificate: string;
  subject: string;
  issuer: string;
  /** hex, upper case. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  identity: IdentityJson;
  hasPrivateKey: boolean;
  /** e.g. "RSA-2048", "EC-P256". */
  keyAlgorithm: string;
}

export type HashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

export type SignAlgorithm = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
