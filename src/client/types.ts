// Result shapes of the bridge API (protocol 1), as a page sees them.
import type { CertificateJson, HashAlgorithm, TokenJson } from '../types.js';

export type { HashAlgorithm };
export type Token = TokenJson;

export interface CertificateStatus {
  ok: boolean;
  /** 'VALID', 'EXPIRED', 'NOT_YET_VALID', 'UNTRUSTED', 'REVOKED', 'KEY_USAGE', … */
  code: string;
  message: string;
  warnings?: unknown[];
  [key: string]: unknown;
}
export interface Certificate extends CertificateJson {
  status: CertificateStatus;
}

export interface BridgeInfo {
  name: string;
  version: string;
  protocol: number;
  platform: string;
  features: string[];
}

export type BridgeStatus =
  | { running: true; url: string; info: BridgeInfo; /** false when the bridge speaks another protocol version. */ compatible: boolean }
  | { running: false; url: string; error: Error };

/** The registration/login proof: hand it to the portal server as is (kyso-bridge/portal verifies it). */
export interface AuthToken {
  format: 'kyso-auth:1';
  certificate: string;
  chain: string[];
  algorithm: 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'ES512';
  signature: string;
  origin: string;
}

export interface SignHashResult {
  signature: string;
  algorithm: string;
}
