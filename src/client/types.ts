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

export type DocumentFormat = 'xmldsig' | 'cms' | 'pades';
export type SignatureLevel = 'B' | 'T' | 'LT';
type Bytes = Uint8Array | ArrayBuffer;

/** What signDocument asks the bridge for (docs/protocol.md, sign.document). */
export interface SignDocumentRequest {
  format: DocumentFormat;
  /** Shown to the user in the consent dialog: a file name, never a path. */
  name: string;
  /** XML-DSig: 'vn-einvoice' | 'vn-tax' | 'vn-bhxh' | 'generic' (default). */
  profile?: 'vn-einvoice' | 'vn-tax' | 'vn-bhxh' | 'generic';
  /** Default 'B'; XML-DSig is B only, CMS B/T, PAdES B/T/LT. */
  level?: SignatureLevel;
  hashAlgorithm?: HashAlgorithm;
  /** Without it the user picks a certificate in the bridge's dialog. */
  certificateId?: string;
  /** Media type sent with a chunked upload; default from the format. */
  mediaType?: string;
  options?: {
    xml?: { referenceId?: string; signatureParent?: string; signatureId?: string };
    cms?: { detached?: boolean; includeChain?: boolean };
    pdf?: {
      visible?: { page: number; rect: [number, number, number, number]; lines?: string[]; imagePng?: Bytes | string };
      reason?: string;
      location?: string;
    };
  };
  /** One of the TSAs configured on the bridge (else INVALID_PARAMS); default its first. */
  tsa?: { url: string };
  output?: 'document' | 'signature';
}

export interface SignDocumentResult {
  /** The signed document (or the signature alone with output: 'signature'; for CMS the CMS). */
  content: Uint8Array;
  size: number;
  /** Lowercase hex SHA-256 of content, as the bridge computed it (checked by the SDK). */
  sha256: string;
  level: SignatureLevel;
  signer: { subject: string; serialNumber: string };
}

export interface DocumentProgress {
  /** upload (chunks sent), sign (dialogs, token, time-stamp), download (chunks read), done. */
  phase: 'upload' | 'sign' | 'download' | 'done';
  loaded: number;
  total: number;
}
