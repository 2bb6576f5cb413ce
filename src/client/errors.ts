// One error class per bridge code, all `instanceof KysoBridgeError` with a stable `.code`, so a
// page can branch with instanceof or a switch on code. Messages: Vietnamese first (the bridge's
// own text when it sent one), English via localized('en').
import { ERROR_TEXTS, type ErrorTextKey } from '../i18n/table-errors.js';

export type ClientErrorCode =
  | 'PLUGIN_NOT_RUNNING' | 'TLS_NOT_TRUSTED' | 'ORIGIN_NOT_ALLOWED' | 'USER_CANCELLED' | 'PIN_INCORRECT' | 'PIN_LOCKED'
  | 'TOKEN_NOT_PRESENT' | 'TOKEN_REMOVED' | 'CERTIFICATE_NOT_FOUND' | 'CERTIFICATE_INVALID'
  | 'INVALID_PARAMS' | 'BUSY' | 'TIMEOUT' | 'DRIVER_ERROR' | 'INTERNAL'
  | 'DOCUMENT_INVALID' | 'DOCUMENT_TOO_LARGE' | 'DOCUMENT_NOT_FOUND' | 'UPLOAD_INCOMPLETE' | 'TSA_UNAVAILABLE' | 'REVOCATION_UNAVAILABLE' | 'BRIDGE_STOPPED';

export interface ErrorDataLike {
  retriesLeft?: number;
  status?: unknown;
  [key: string]: unknown;
}

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

/** The same words the bridge uses (one table), so a page shows what the dialogs and the CLI say. */
function text(code: ClientErrorCode, lang: 'vi' | 'en', data: ErrorDataLike): string {
  const key: ErrorTextKey = code === 'PIN_INCORRECT' && typeof data.retriesLeft === 'number' ? 'PIN_INCORRECT_RETRIES' : code;
  return (ERROR_TEXTS[key] ?? ERROR_TEXTS.INTERNAL)[lang].replace('{n}', String(data.retriesLeft ?? ''));
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
/** The bridge stopped (shut down, logged out) while a dialog was open: start it and retry. */
export class BridgeStoppedError extends KysoBridgeError { constructor(...a: Args) { super('BRIDGE_STOPPED', ...a); this.name = 'BridgeStoppedError'; } }
export class InternalError extends KysoBridgeError { constructor(...a: Args) { super('INTERNAL', ...a); this.name = 'InternalError'; } }
/** The bridge could not read or sign the document (broken, encrypted or XFA PDF, XML without the node to sign…). */
export class DocumentInvalidError extends KysoBridgeError { constructor(...a: Args) { super('DOCUMENT_INVALID', ...a); this.name = 'DocumentInvalidError'; } }
/** Larger than the bridge accepts (data.maxSize), or than inline content may be. */
export class DocumentTooLargeError extends KysoBridgeError { constructor(...a: Args) { super('DOCUMENT_TOO_LARGE', ...a); this.name = 'DocumentTooLargeError'; } }
/** A documentId this connection does not hold (released, another connection's, or the socket was reopened). */
export class DocumentNotFoundError extends KysoBridgeError { constructor(...a: Args) { super('DOCUMENT_NOT_FOUND', ...a); this.name = 'DocumentNotFoundError'; } }
/** A chunk out of order, bytes missing, or a SHA-256 that does not match. */
export class UploadIncompleteError extends KysoBridgeError { constructor(...a: Args) { super('UPLOAD_INCOMPLETE', ...a); this.name = 'UploadIncompleteError'; } }
/** Level T/LT asked and no time-stamp could be had (none configured, or the TSA failed): nothing was signed. */
export class TsaUnavailableError extends KysoBridgeError { constructor(...a: Args) { super('TSA_UNAVAILABLE', ...a); this.name = 'TsaUnavailableError'; } }
/** B-LT asked and revocation data for a certificate of the chain (data.certificate) could not be had: nothing was signed. */
export class RevocationUnavailableError extends KysoBridgeError { constructor(...a: Args) { super('REVOCATION_UNAVAILABLE', ...a); this.name = 'RevocationUnavailableError'; } }

const BY_CODE: Record<string, new (...a: Args) => KysoBridgeError> = {
  PLUGIN_NOT_RUNNING: PluginNotRunningError, TLS_NOT_TRUSTED: TlsNotTrustedError, ORIGIN_NOT_ALLOWED: OriginNotAllowedError, USER_CANCELLED: UserCancelledError,
  PIN_INCORRECT: PinIncorrectError, PIN_LOCKED: PinLockedError, TOKEN_NOT_PRESENT: TokenNotPresentError,
  TOKEN_REMOVED: TokenRemovedError, CERTIFICATE_NOT_FOUND: CertificateNotFoundError, CERTIFICATE_INVALID: CertificateInvalidError,
  INVALID_PARAMS: InvalidParamsError, BUSY: BusyError, TIMEOUT: TimeoutError, DRIVER_ERROR: DriverError, INTERNAL: InternalError,
  BRIDGE_STOPPED: BridgeStoppedError,
  DOCUMENT_INVALID: DocumentInvalidError, DOCUMENT_TOO_LARGE: DocumentTooLargeError, DOCUMENT_NOT_FOUND: DocumentNotFoundError,
  UPLOAD_INCOMPLETE: UploadIncompleteError, TSA_UNAVAILABLE: TsaUnavailableError, REVOCATION_UNAVAILABLE: RevocationUnavailableError,
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
