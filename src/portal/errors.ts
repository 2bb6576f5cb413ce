// Typed verification failures. Codes are the portal's contract: a page can map each to a screen.
// Certificate codes come straight from the validator (src/certs), so a portal shows the same
// reason the bridge would.

export const AUTH_CODES = [
  'BAD_FORMAT', 'ORIGIN_MISMATCH', 'NONCE_UNKNOWN', 'NONCE_EXPIRED', 'REPLAYED', 'BAD_SIGNATURE',
] as const;
export const CERTIFICATE_CODES = [
  'EXPIRED', 'NOT_YET_VALID', 'UNTRUSTED', 'REVOKED', 'KEY_USAGE', 'BAD_SIGNATURE', 'REVOCATION_UNKNOWN',
] as const;

export type AuthCode = (typeof AUTH_CODES)[number];
export type CertificateCode = (typeof CERTIFICATE_CODES)[number];
/** Any code a failed verification carries; validator codes not listed above pass through as string. */
export type AuthVerificationCode = AuthCode | CertificateCode | (string & {});

const TEXTS: Record<string, { vi: string; en: string }> = {
  BAD_FORMAT: { vi: 'Dữ liệu xác thực không đúng định dạng.', en: 'The authentication token is malformed.' },
  ORIGIN_MISMATCH: { vi: 'Dữ liệu xác thực được tạo cho một trang web khác.', en: 'The token was made for another website (origin mismatch).' },
  NONCE_UNKNOWN: { vi: 'Phiên đăng nhập không có mã thử thách hợp lệ. Vui lòng thử lại.', en: 'No challenge is outstanding for this session; try again.' },
  NONCE_EXPIRED: { vi: 'Mã thử thách đã hết hạn. Vui lòng thử lại.', en: 'The challenge has expired; try again.' },
  REPLAYED: { vi: 'Dữ liệu xác thực đã được sử dụng.', en: 'The token has already been used (replay).' },
  BAD_SIGNATURE: { vi: 'Chữ ký số không hợp lệ.', en: 'The signature does not verify.' },
  EXPIRED: { vi: 'Chứng thư số đã hết hạn.', en: 'The certificate has expired.' },
  NOT_YET_VALID: { vi: 'Chứng thư số chưa đến ngày hiệu lực.', en: 'The certificate is not valid yet.' },
  UNTRUSTED: { vi: 'Chứng thư số không do tổ chức chứng thực được công nhận cấp.', en: 'The certificate does not chain to a trusted root.' },
  REVOKED: { vi: 'Chứng thư số đã bị thu hồi.', en: 'The certificate has been revoked.' },
  KEY_USAGE: { vi: 'Chứng thư số không được phép dùng để ký/xác thực.', en: 'The certificate may not be used for signing/authentication.' },
  REVOCATION_UNKNOWN: { vi: 'Không kiểm tra được trạng thái thu hồi của chứng thư số.', en: 'The revocation status could not be checked.' },
};

export function authMessage(code: string, lang: 'vi' | 'en' = 'vi'): string {
  return (TEXTS[code] ?? { vi: 'Xác thực không thành công.', en: 'Verification failed.' })[lang];
}

export class AuthVerificationError extends Error {
  readonly code: AuthVerificationCode;
  /** 'token' for proof/nonce failures, 'certificate' for validator failures (BAD_SIGNATURE exists in both). */
  readonly source: 'token' | 'certificate';
  /** The validator's result when source is 'certificate'. */
  readonly certificateStatus?: unknown;

  constructor(code: AuthVerificationCode, opts: { source?: 'token' | 'certificate'; detail?: string; certificateStatus?: unknown } = {}) {
    super(opts.detail ? `${authMessage(code, 'en')} (${opts.detail})` : authMessage(code, 'en'));
    this.name = 'AuthVerificationError';
    this.code = code;
    this.source = opts.source ?? 'token';
    if (opts.certificateStatus !== undefined) this.certificateStatus = opts.certificateStatus;
  }

  /** The user-facing text, Vietnamese by default. */
  localized(lang: 'vi' | 'en' = 'vi'): string {
    return authMessage(this.code, lang);
  }
}
