// Error texts, one per code: the daemon's replies, the CLI and the browser SDK show these same
// words. No Node imports here: the SDK bundles this file.
import type { Texts } from './types.js';

export const ERROR_TEXTS = {
  ORIGIN_NOT_ALLOWED: { vi: 'Trang web này chưa được phép dùng chữ ký số của bạn cho việc này.', en: 'This website is not allowed to use your signing token for this.' },
  USER_CANCELLED: { vi: 'Bạn đã huỷ thao tác.', en: 'You cancelled the operation.' },
  PIN_INCORRECT: { vi: 'Mã PIN không đúng.', en: 'Incorrect PIN.' },
  PIN_INCORRECT_RETRIES: { vi: 'Mã PIN không đúng. Còn {n} lần thử.', en: 'Incorrect PIN. {n} tries left.' },
  PIN_LOCKED: { vi: 'Thiết bị ký số đã bị khoá do nhập sai mã PIN quá số lần cho phép. Vui lòng liên hệ nhà cung cấp chữ ký số (CA) để mở khoá.', en: 'The token is locked after too many wrong PINs. Contact your certificate authority (CA) to unlock it.' },
  PIN_LEN_RANGE: { vi: 'Độ dài mã PIN không hợp lệ.', en: 'The PIN has an invalid length.' },
  TOKEN_NOT_PRESENT: { vi: 'Không tìm thấy thiết bị ký số (USB token). Hãy cắm USB và cài driver của thiết bị.', en: 'No signing token found. Plug in the USB token and install its driver.' },
  TOKEN_REMOVED: { vi: 'Thiết bị ký số đã bị rút ra trong khi đang thao tác.', en: 'The signing token was removed during the operation.' },
  CERTIFICATE_NOT_FOUND: { vi: 'Không tìm thấy chứng thư số.', en: 'Certificate not found.' },
  CERTIFICATE_INVALID: { vi: 'Chứng thư số không hợp lệ để ký.', en: 'The certificate is not valid for signing.' },
  KEY_NOT_FOUND: { vi: 'Không tìm thấy khoá bí mật tương ứng với chứng thư số.', en: 'No private key matches the certificate.' },
  MECHANISM_INVALID: { vi: 'Thiết bị không hỗ trợ thuật toán ký này với khoá của chứng thư số.', en: 'This signing algorithm cannot be used with the certificate\'s key.' },
  INVALID_PARAMS: { vi: 'Yêu cầu không hợp lệ.', en: 'Invalid request.' },
  BUSY: { vi: 'Công cụ ký số đang bận, vui lòng thử lại.', en: 'The signing tool is busy; try again.' },
  TIMEOUT: { vi: 'Hết thời gian chờ.', en: 'The operation timed out.' },
  DRIVER_ERROR: { vi: 'Lỗi trình điều khiển (driver) của thiết bị ký số.', en: 'The token driver reported an error.' },
  INTERNAL: { vi: 'Lỗi nội bộ của công cụ ký số.', en: 'Internal error in the signing tool.' },
  PLUGIN_NOT_RUNNING: { vi: 'Không kết nối được công cụ ký số kyso-bridge trên máy tính.', en: 'Cannot reach the kyso-bridge signing tool on this computer.' },
  TLS_NOT_TRUSTED: { vi: 'Công cụ ký số kyso-bridge đang chạy nhưng trình duyệt chưa tin cậy kết nối an toàn (wss) tới nó.', en: 'kyso-bridge is running, but the browser does not trust its secure (wss) connection yet.' },
  DOCUMENT_INVALID: { vi: 'Tài liệu không hợp lệ hoặc không thể ký.', en: 'The document is invalid or cannot be signed.' },
  DOCUMENT_TOO_LARGE: { vi: 'Tài liệu quá lớn.', en: 'The document is too large.' },
  DOCUMENT_NOT_FOUND: { vi: 'Không tìm thấy tài liệu đã tải lên.', en: 'The uploaded document was not found.' },
  UPLOAD_INCOMPLETE: { vi: 'Tải lên tài liệu chưa hoàn tất hoặc bị sai lệch.', en: 'The document upload is incomplete or corrupted.' },
  TSA_UNAVAILABLE: { vi: 'Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (TSA).', en: 'No time-stamp could be obtained from the time-stamping authority (TSA).' },
  REVOCATION_UNAVAILABLE: { vi: 'Không lấy được thông tin thu hồi của chứng thư số.', en: 'Revocation information for the certificate could not be obtained.' },
  BRIDGE_STOPPED: { vi: 'Công cụ ký số kyso-bridge đã dừng trong khi đang thao tác. Hãy mở lại công cụ rồi thử lại.', en: 'The kyso-bridge signing tool stopped during the operation. Start it again and retry.' },
} satisfies Texts;

export type ErrorTextKey = keyof typeof ERROR_TEXTS;
