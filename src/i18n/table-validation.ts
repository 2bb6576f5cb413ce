// Certificate validation texts: the validator, the CLI, the daemon, the SDK and the portal
// verifier all say a certificate is EXPIRED or UNTRUSTED with these words.
import { fill, type Lang, type Text } from './types.js';

export type StatusCode = 'VALID' | 'EXPIRED' | 'NOT_YET_VALID' | 'UNTRUSTED' | 'REVOKED' | 'KEY_USAGE' | 'BAD_SIGNATURE' | 'REVOCATION_UNKNOWN';

export type WarningCode = 'EXPIRING_SOON' | 'SHA1_SIGNATURE' | 'REVOCATION_UNKNOWN' | 'FORCED_ROOT' | 'OCSP_NO_NONCE';

export const STATUS_TEXTS: Record<StatusCode, Text> = {
  VALID: { vi: 'Chứng thư số hợp lệ.', en: 'The certificate is valid.' },
  EXPIRED: { vi: 'Chứng thư số đã hết hạn.', en: 'The certificate has expired.' },
  NOT_YET_VALID: { vi: 'Chứng thư số chưa đến thời hạn có hiệu lực.', en: 'The certificate is not valid yet.' },
  UNTRUSTED: { vi: 'Chứng thư số không được cấp bởi tổ chức chứng thực (CA) tin cậy của Việt Nam.', en: 'The certificate does not chain to a trusted Vietnamese root CA.' },
  REVOKED: { vi: 'Chứng thư số đã bị thu hồi.', en: 'The certificate has been revoked.' },
  KEY_USAGE: { vi: 'Chứng thư số không được phép dùng cho mục đích này.', en: 'The certificate may not be used for this purpose.' },
  BAD_SIGNATURE: { vi: 'Chữ ký trên chứng thư số không hợp lệ hoặc dùng thuật toán không an toàn.', en: 'The certificate signature is invalid or uses an unsafe algorithm.' },
  REVOCATION_UNKNOWN: { vi: 'Chứng thư số hợp lệ nhưng chưa kiểm tra được tình trạng thu hồi (OCSP/CRL).', en: 'The certificate is valid but its revocation status could not be checked (OCSP/CRL).' },
};

export const WARNING_TEXTS: Record<WarningCode, Text> = {
  EXPIRING_SOON: { vi: 'Chứng thư số sẽ hết hạn sau {n} ngày.', en: 'The certificate expires in {n} days.' },
  SHA1_SIGNATURE: { vi: 'Chứng thư số dùng thuật toán SHA-1 đã lỗi thời.', en: 'The certificate is signed with the outdated SHA-1 algorithm.' },
  REVOCATION_UNKNOWN: { vi: 'Không kiểm tra được tình trạng thu hồi của chứng thư số.', en: 'The revocation status could not be checked.' },
  FORCED_ROOT: { vi: 'Chuỗi chứng thực kết thúc ở một CA gốc được nhập thủ công (không khớp danh sách CA gốc chính thức).', en: 'The chain ends at a manually forced root that matches no official pin.' },
  OCSP_NO_NONCE: { vi: 'Phản hồi OCSP không kèm nonce.', en: 'The OCSP response carries no nonce.' },
};

/** Extra detail appended to a status message: why a certificate failed. */
export const REASON_TEXTS: Record<string, Text> = {
  WEAK_ALGORITHM: { vi: 'thuật toán ký {n} bị từ chối', en: 'signature algorithm {n} is rejected' },
  WEAK_KEY: { vi: 'khoá RSA {n} bit quá ngắn (tối thiểu 2048)', en: 'RSA key of {n} bits is too short (minimum 2048)' },
  NOT_A_CA: { vi: 'chứng thư trung gian "{n}" không phải là CA', en: 'intermediate "{n}" is not a CA' },
  PATH_LENGTH: { vi: 'vượt quá giới hạn độ dài chuỗi của "{n}"', en: 'path length constraint of "{n}" exceeded' },
  LINK_SIGNATURE: { vi: 'chữ ký của "{n}" không khớp với CA cấp', en: 'the signature of "{n}" does not verify with its issuer' },
  NO_ISSUER: { vi: 'không tìm thấy CA cấp cho "{n}"', en: 'no issuer found for "{n}"' },
  UNTRUSTED_ROOT: { vi: 'CA gốc "{n}" không nằm trong danh sách tin cậy', en: 'root "{n}" is not a trust anchor' },
  CHAIN_EXPIRED: { vi: 'CA "{n}" đã hết hạn', en: 'CA "{n}" has expired' },
  CHAIN_NOT_YET_VALID: { vi: 'CA "{n}" chưa có hiệu lực', en: 'CA "{n}" is not valid yet' },
  PURPOSE_SIGN: { vi: 'cần digitalSignature hoặc nonRepudiation', en: 'needs digitalSignature or nonRepudiation' },
  PURPOSE_AUTH: { vi: 'cần digitalSignature và EKU clientAuth', en: 'needs digitalSignature and EKU clientAuth' },
  PURPOSE_CA: { vi: 'CA cần keyCertSign', en: 'a CA needs keyCertSign' },
  REVOKED_AT: { vi: 'thu hồi lúc {n}', en: 'revoked at {n}' },
  REVOCATION_REQUIRED: { vi: 'chính sách yêu cầu kiểm tra thu hồi', en: 'the policy requires a revocation check' },
};

export interface Reason { key: string; arg?: string }

export function statusText(code: StatusCode, lang: Lang, reason?: Reason): string {
  const base = STATUS_TEXTS[code][lang];
  const r = reason && REASON_TEXTS[reason.key];
  if (!r) return base;
  return `${base.replace(/\.$/, '')} (${fill(r[lang], { n: reason.arg })}).`;
}

export function warningText(code: WarningCode, lang: Lang, arg?: string | number): string {
  return fill(WARNING_TEXTS[code][lang], { n: arg });
}
