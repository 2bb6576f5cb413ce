// Named limits of the loopback listeners, in one place (and in docs/protocol.md).

/** Default port: no other known Vietnamese signing plugin uses it (8987, 4433-4435, 8443, 14007, 14407…). */
export const DEFAULT_PORT = 15976;
/** Open connections per origin; more are refused at the upgrade with HTTP 429. */
export const MAX_CONNECTIONS_PER_ORIGIN = 16;
/** How long shutdown waits for running operations. */
export const SHUTDOWN_GRACE_MS = 5_000;
