// Defaults the SDK needs; every timeout is named so pages and tests can reason about them.

export const DEFAULT_URL = 'wss://127.0.0.1:15976/v1';
export const PROTOCOL_VERSION = 1;

/** Opening the loopback socket: a running bridge answers in milliseconds. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** bridge.info: no dialogs involved. */
export const INFO_TIMEOUT_MS = 5_000;
/**
 * Any call that may show a dialog: the consent dialog on an origin's first privileged call, the
 * certificate choice, the PIN entry (the user may need to find the token and type a PIN).
 */
export const INTERACTIVE_TIMEOUT_MS = 3 * 60_000;
/** Reconnect back-off while someone listens for tokens.changed. */
export const RECONNECT_MIN_MS = 1_000;
export const RECONNECT_MAX_MS = 30_000;

/** The bridge accepts base64url nonces of 43–128 characters (≥ 256 bits). */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{43,128}$/;

/** The bridge's plain-HTTP hint next to its wss:// port (src/hint/tls-hint.ts): port + 1, this path. */
export const TLS_HINT_PATH = '/kyso-bridge-hint';
export const TLS_HINT_PORT_OFFSET = 1;
/** Asking the hint after a failed connection: loopback answers at once or not at all. */
export const TLS_HINT_TIMEOUT_MS = 1_500;

/**
 * Documents (sign.document): up to this many bytes travel inline; larger ones in chunks through
 * document.begin/put/end (the bridge says its chunk size). Follows from the 64 KiB frame cap.
 */
export const INLINE_DOCUMENT_MAX_BYTES = 45 * 1024;
/** Chunks sent before waiting for the first answer (the bridge takes them in order). */
export const UPLOAD_WINDOW = 4;
/** One document.put / document.get / begin / end / release: no dialog involved. */
export const TRANSFER_TIMEOUT_MS = 30_000;
