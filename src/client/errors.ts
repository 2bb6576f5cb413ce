// One error class per bridge code, all `instanceof KysoBridgeError` with a stable `.code`, so a
// page can branch with instanceof or a switch on code. Messages: Vietnamese first (the bridge's
// own text when it sent one), English via localized('en').

export type ClientErrorCode =
  | 'PLUGIN_NOT_RUNNING' | 'TLS_NOT_TRUSTED' | 'ORIGIN_NOT_ALLOWED' | 'USER_CANCELLED' | 'PIN_INCORRECT' | 'PIN_LOCKED'
  | 'TOKEN_NOT_PRESENT' | 'TOKEN_REMOVED' | 'CERTIFICATE_NOT_FOUND' | 'CERTIFICATE_INVALID'
  | 'INVALID_PARAMS' | 'BUSY' | 'TIMEOUT' | 'DRIVER_ERROR' | 'INTERNAL';

export interface ErrorDataLike {
  retriesLeft?: number;
  status?: unknown;
  [key: string]: unknown;
}

const T: Record<ClientErrorCode, [vi: string, en: string]> = {
  PLUGIN_NOT_RUNNING: ['Không kết nối được công cụ ký số kyso-bridge trên máy tính.', 'Cannot reach the kyso-bridge signing tool on this computer.'],
  TLS_NOT_TRUSTED: ['Công cụ ký số kyso-bridge đang chạy nhưng trình duyệt chưa tin cậy kết nối an toàn (wss) tới nó.', 'kyso-bridge is running, but the browser does not trust its secure (wss) connection yet.'],
  ORIGIN_NOT_ALLOWED: ['Trang web này chưa được phép dùng chữ ký số của bạn.', 'This website is not allowed to use your signing token.'],
  USER_CANCELLED: ['Bạn đã huỷ thao tác.', 'You cancelled the operation.'],
  PIN_INCORRECT: ['Mã PIN không đúng.', 'Incorrect PIN.'],
  PIN_LOCKED: ['Thiết bị ký số đã bị khoá do nhập sai mã PIN quá số lần cho phép.', 'The token is locked after too many wrong PINs.'],
  TOKEN_NOT_PRESENT: ['Không tìm thấy thiết bị ký số (USB token).', 'No signing token found.'],
  TOKEN_REMOVED: ['Thiết bị ký số đã bị rút ra trong khi đang thao tác.', 'The signing token was removed during the operation.'],
  CERTIFICATE_NOT_FOUND: ['Không tìm thấy chứng thư số.', 'Certificate not found.'],
  CERTIFICATE_INVALID: ['Chứng thư số không hợp lệ.', 'The certificate is not valid.'],
  INVALID_PARAMS: ['Yêu cầu không hợp lệ.', 'Invalid request.'],
  BUSY: ['Công cụ ký số đang bận, vui lòng thử lại.', 'The signing tool is busy; try again.'],
  TIMEOUT: ['Hết thời gian chờ.', 'The operation timed out.'],
  DRIVER_ERROR: ['Lỗi trình điều khiển (driver) của thiết bị ký số.', 'The token driver reported an error.'],
  INTERNAL: ['Lỗi nội bộ của công cụ ký số.', 'Internal error in the signing tool.'],
};

/** What to tell a user whose bridge cannot be reached (not installed or not started). */
export const INSTALL_GUIDANCE = {
  vi: 'Hãy cài công cụ ký số kyso-bridge (Debian/Ubuntu: gói kyso-bridge_<phiên bản>_amd64.deb, "sudo apt install ./kyso-bridge_*_amd64.deb"; '
    + 'nó tự chạy khi đăng nhập). Nếu đã cài: đăng xuất rồi đăng nhập lại hoặc chạy "systemctl --user start kyso-bridge", kiểm tra bằng "kyso-bridge doctor". '
    + 'Lập trình viên: "npm ci && npm run build && npx kyso-bridge install --user" từ mã nguồn. Cắm USB ký số rồi tải lại trang.',
  en: 'Install the kyso-bridge signing tool (Debian/Ubuntu: the kyso-bridge_<version>_amd64.deb package, "sudo apt install ./kyso-bridge_*_amd64.deb"; '
    + 'it starts at login). If installed: log out and in or run "systemctl --user start kyso-bridge", and check with "kyso-bridge doctor". '
    + 'Developers: "npm ci && npm run build && npx kyso-bridge install --user" from a clone. Plug in your USB token and reload the page.',
};

/** What to tell a user whose browser refuses the bridge's TLS certificate. */
export const TRUST_GUIDANCE = {
  vi: 'Mở Terminal và chạy "kyso-bridge trust install", rồi khởi động lại trình duyệt và tải lại trang.',
  en: 'Run "kyso-bridge trust install" in a terminal, then restart the browser and reload the page.',
};

export class KysoBridgeError extends Error {
  readonly code: ClientErrorCode;
  readonly data: ErrorDataLike;

  constructor(code: ClientErrorCode, message?: string, data: ErrorDataLike = {}) {
    super(message || text(code, 'vi', data));
    this.name = 'KysoBridgeError';
    this.code = code;
    this.data = data;
  }

  localized(lang: 'vi' | 'en' = 'vi'): string {
    return text(this.code, lang, this.data);
  }
}

function text(code: ClientErrorCode, lang: 'vi' | 'en', data: ErrorDataLike): string {
  const base = (T[code] ?? T.INTERNAL)[lang === 'en' ? 1 : 0];
  if (code === 'PIN_INCORRECT' && typeof data.retriesLeft === 'number') {
    return `${base} ${lang === 'en' ? `${data.retriesLeft} tries left.` : `Còn ${data.retriesLeft} lần thử.`}`;
  }
  return base;
}

type Args = [message?: string, data?: ErrorDataLike];
// Explicit names: minified bundles rename classes, and pages log err.name.
export class PluginNotRunningError extends KysoBridgeError {
  readonly guidance = INSTALL_GUIDANCE;
  constructor(...a: Args) { super('PLUGIN_NOT_RUNNING', ...a); this.name = 'PluginNotRunningError'; }
  override localized(lang: 'vi' | 'en' = 'vi'): string { return `${super.localized(lang)} ${INSTALL_GUIDANCE[lang]}`; }
}
/**
 * The bridge runs (its plain-HTTP hint answers) but the browser refused its wss:// certificate.
 * A PluginNotRunningError too, so pages that only know that class keep working.
 */
export class TlsNotTrustedError extends PluginNotRunningError {
  override readonly guidance = TRUST_GUIDANCE;
  constructor(...a: Args) {
    super(...a);
    (this as { code: ClientErrorCode }).code = 'TLS_NOT_TRUSTED';
    if (!a[0]) this.message = text('TLS_NOT_TRUSTED', 'vi', this.data);
    this.name = 'TlsNotTrustedError';
  }
  override localized(lang: 'vi' | 'en' = 'vi'): string { return `${text('TLS_NOT_TRUSTED', lang, this.data)} ${TRUST_GUIDANCE[lang]}`; }
}
export class OriginNotAllowedError extends KysoBridgeError { constructor(...a: Args) { super('ORIGIN_NOT_ALLOWED', ...a); this.name = 'OriginNotAllowedError'; } }
export class UserCancelledError extends KysoBridgeError { constructor(...a: Args) { super('USER_CANCELLED', ...a); this.name = 'UserCancelledError'; } }
export class PinIncorrectError extends KysoBridgeError {
  /** Tries left before the token locks, when the token tells (often unknown: null). */
  readonly retriesLeft: number | null;
  constructor(...a: Args) {
    super('PIN_INCORRECT', ...a);
    this.name = 'PinIncorrectError';
    this.retriesLeft = typeof this.data.retriesLeft === 'number' ? this.data.retriesLeft : null;
  }
}
export class PinLockedError extends KysoBridgeError { constructor(...a: Args) { super('PIN_LOCKED', ...a); this.name = 'PinLockedError'; } }
export class TokenNotPresentError extends KysoBridgeError { constructor(...a: Args) { super('TOKEN_NOT_PRESENT', ...a); this.name = 'TokenNotPresentError'; } }
export class TokenRemovedError extends KysoBridgeError { constructor(...a: Args) { super('TOKEN_REMOVED', ...a); this.name = 'TokenRemovedError'; } }
export class CertificateNotFoundError extends KysoBridgeError { constructor(...a: Args) { super('CERTIFICATE_NOT_FOUND', ...a); this.name = 'CertificateNotFoundError'; } }
export class CertificateInvalidError extends KysoBridgeError {
  /** The bridge's validation status ({ok, code, message, warnings…}), e.g. code 'EXPIRED'. */
  readonly status: { ok?: boolean; code?: string; message?: string; [k: string]: unknown } | null;
  constructor(...a: Args) {
    super('CERTIFICATE_INVALID', ...a);
    this.name = 'CertificateInvalidError';
    const s = this.data.status;
    this.status = s && typeof s === 'object' ? (s as CertificateInvalidError['status']) : null;
  }
}
export class InvalidParamsError extends KysoBridgeError { constructor(...a: Args) { super('INVALID_PARAMS', ...a); this.name = 'InvalidParamsError'; } }
export class BusyError extends KysoBridgeError { constructor(...a: Args) { super('BUSY', ...a); this.name = 'BusyError'; } }
export class TimeoutError extends KysoBridgeError { constructor(...a: Args) { super('TIMEOUT', ...a); this.name = 'TimeoutError'; } }
export class DriverError extends KysoBridgeError { constructor(...a: Args) { super('DRIVER_ERROR', ...a); this.name = 'DriverError'; } }
export class InternalError extends KysoBridgeError { constructor(...a: Args) { super('INTERNAL', ...a); this.name = 'InternalError'; } }

const BY_CODE: Record<string, new (...a: Args) => KysoBridgeError> = {
  PLUGIN_NOT_RUNNING: PluginNotRunningError, TLS_NOT_TRUSTED: TlsNotTrustedError, ORIGIN_NOT_ALLOWED: OriginNotAllowedError, USER_CANCELLED: UserCancelledError,
  PIN_INCORRECT: PinIncorrectError, PIN_LOCKED: PinLockedError, TOKEN_NOT_PRESENT: TokenNotPresentError,
  TOKEN_REMOVED: TokenRemovedError, CERTIFICATE_NOT_FOUND: CertificateNotFoundError, CERTIFICATE_INVALID: CertificateInvalidError,
  INVALID_PARAMS: InvalidParamsError, BUSY: BusyError, TIMEOUT: TimeoutError, DRIVER_ERROR: DriverError, INTERNAL: InternalError,
  // Finer bridge codes fold into the nearest class; data.code keeps the original.
  PIN_LEN_RANGE: PinIncorrectError, KEY_NOT_FOUND: CertificateNotFoundError, MECHANISM_INVALID: DriverError,
};

/** The typed error for a JSON-RPC error object from the bridge. */
export function errorFromRpc(err: { code?: number; message?: string; data?: unknown }): KysoBridgeError {
  const data = (err.data && typeof err.data === 'object' ? err.data : {}) as ErrorDataLike;
  const code = typeof data.code === 'string' ? data.code : undefined;
  const Ctor = code ? BY_CODE[code] : undefined;
  if (Ctor) return new Ctor(err.message, data);
  // -32602 without a bridge code is still a parameter problem; -32700/-32600/-32601 mean SDK and bridge disagree.
  if (err.code === -32602) return new InvalidParamsError(err.message, data);
  return new InternalError(err.message, { ...data, rpcCode: err.code });
}
