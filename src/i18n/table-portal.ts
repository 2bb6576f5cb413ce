// User-facing texts of the portal verifier (kyso-bridge/portal) and the verifier service,
// Vietnamese first. Certificate verdicts (EXPIRED, UNTRUSTED, REVOKED…) are not repeated here:
// they use the validator's own wording (src/i18n/table-validation.ts).

export const PORTAL_TEXTS: Record<string, { vi: string; en: string }> = {
  // Proof failures (verifyAuthToken).
  BAD_FORMAT: { vi: 'Dữ liệu xác thực không đúng định dạng.', en: 'The authentication token is malformed.' },
  ORIGIN_MISMATCH: { vi: 'Dữ liệu xác thực được tạo cho một trang web khác.', en: 'The token was made for another website (origin mismatch).' },
  NONCE_UNKNOWN: { vi: 'Phiên đăng nhập không có mã thử thách hợp lệ. Vui lòng thử lại.', en: 'No challenge is outstanding for this session; try again.' },
  NONCE_EXPIRED: { vi: 'Mã thử thách đã hết hạn. Vui lòng thử lại.', en: 'The challenge has expired; try again.' },
  REPLAYED: { vi: 'Dữ liệu xác thực đã được sử dụng.', en: 'The token has already been used (replay).' },
  BAD_SIGNATURE: { vi: 'Chữ ký số không hợp lệ.', en: 'The signature does not verify.' },
  VERIFICATION_FAILED: { vi: 'Xác thực không thành công.', en: 'Verification failed.' },
  // The verifier service (kyso-bridge verifier serve).
  INVALID_REQUEST: { vi: 'Yêu cầu không hợp lệ: {field}.', en: 'Invalid request: {field}.' },
  BODY_TOO_LARGE: { vi: 'Dữ liệu gửi lên vượt quá {n} byte.', en: 'The request body exceeds {n} bytes.' },
  STORE_UNAVAILABLE: { vi: 'Kho lưu mã thử thách tạm thời không truy cập được. Vui lòng thử lại.', en: 'The challenge store is unavailable; try again.' },
  NOT_FOUND: { vi: 'Không tìm thấy địa chỉ này.', en: 'No such endpoint.' },
  METHOD_NOT_ALLOWED: { vi: 'Phương thức không được hỗ trợ.', en: 'Method not allowed.' },
  INTERNAL: { vi: 'Lỗi hệ thống, vui lòng thử lại.', en: 'Internal error; try again.' },
  // The demo portal (src/portal/demo).
  DEMO_NO_PENDING_REGISTRATION: { vi: 'Vui lòng xác thực bằng USB ký số trước khi đăng ký.', en: 'Authenticate with your USB token first.' },
  DEMO_INVALID_EMAIL: { vi: 'Địa chỉ email không hợp lệ.', en: 'The e-mail address is not valid.' },
  DEMO_ACCOUNT_EXISTS: { vi: '{name} đã có tài khoản trên Cổng. Vui lòng chọn "Đăng nhập bằng USB ký số".', en: '{name} already has an account. Please use "Log in with USB token".' },
  DEMO_NO_ACCOUNT: { vi: '{name} chưa có tài khoản. Vui lòng đăng ký bằng USB ký số.', en: '{name} has no account yet. Please register with your USB token.' },
  DEMO_NOT_FOUND: { vi: 'Không tìm thấy.', en: 'Not found.' },
  DEMO_PAGE_NOT_FOUND: { vi: 'Không tìm thấy trang.', en: 'Page not found.' },
  DEMO_TOO_LARGE: { vi: 'Dữ liệu quá lớn.', en: 'Request too large.' },
  DEMO_BAD_JSON: { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'Malformed JSON.' },
  DEMO_FORBIDDEN_ORIGIN: { vi: 'Yêu cầu không hợp lệ.', en: 'Cross-origin request refused.' },
  DEMO_METHOD: { vi: 'Không hỗ trợ.', en: 'Method not allowed.' },
  DEMO_INTERNAL: { vi: 'Lỗi hệ thống, vui lòng thử lại.', en: 'Server error.' },
  DEMO_NOT_LOGGED_IN: { vi: 'Vui lòng đăng nhập bằng USB ký số trước khi nộp hồ sơ.', en: 'Log in with your USB token before submitting a dossier.' },
  DEMO_EMPTY_DOCUMENT: { vi: 'Chưa có tệp nào được gửi lên.', en: 'No file was sent.' },
  DEMO_DOCUMENT_INVALID: { vi: 'Tệp đã ký không đọc được ({detail}).', en: 'The signed file cannot be read ({detail}).' },
};

/** The text for a code with {field}/{n} filled in; unknown codes read as a generic failure. */
export function portalText(code: string, lang: 'vi' | 'en', fill: Record<string, string | number> = {}): string {
  const entry = PORTAL_TEXTS[code] ?? PORTAL_TEXTS.VERIFICATION_FAILED;
  return entry[lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in fill ? String(fill[k]) : m));
}
