// Named limits of the loopback server, in one place (and in docs/protocol.md).

/** Default port: no other known Vietnamese signing plugin uses it (8987, 4433-4435, 8443, 14007, 14407…). */
export const DEFAULT_PORT = 15976;
/** The WebSocket path of protocol version 1. */
export const API_PATH = '/v1';
/** Largest accepted frame; bigger ones close the connection with 1009 before any parsing. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Requests in flight per connection; one more is answered BUSY. */
export const MAX_PENDING_PER_CONNECTION = 16;
/** Open connections per origin; more are refused at the upgrade with HTTP 429. */
export const MAX_CONNECTIONS_PER_ORIGIN = 16;
/** How long shutdown waits for running operations. */
export const SHUTDOWN_GRACE_MS = 5_000;
/** Slot polling period of the token watcher. */
export const TOKEN_POLL_MS = 1_000;
/** Default public-service portals that may call without a first-time dialog. */
export const DEFAULT_ALLOWED_ORIGINS = ['https://dichvucong.gov.vn', 'https://dichvucong.bocongan.gov.vn'];
/** The origin recorded for local programs (no Origin header) when --allow-local-programs is on. */
export const LOCAL_PROGRAM_ORIGIN = 'local-program';
