// Named limits of the loopback listeners, in one place (and in docs/protocol.md).

/** Default port: no other known Vietnamese signing plugin uses it (8987, 4433-4435, 8443, 14007, 14407…). */
export const DEFAULT_PORT = 15976;
/** Open connections per origin; more are refused at the upgrade with HTTP 429. */
export const MAX_CONNECTIONS_PER_ORIGIN = 16;
/** Frames up to this size are "small" (our JSON-RPC API's cap). */
export const SMALL_FRAME_BYTES = 64 * 1024;
/** Sockets per origin on a port whose adapter takes larger frames (a whole document, base64). */
export const MAX_LARGE_FRAME_CONNECTIONS_PER_ORIGIN = 2;
/** How long shutdown waits for running operations. */
export const SHUTDOWN_GRACE_MS = 5_000;
