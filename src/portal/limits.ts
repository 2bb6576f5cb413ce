// The numbers of the challenge protocol, shared by the helpers and every store.

/** How long a challenge may be answered (5 minutes). */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Used and expired challenges are remembered this long so a late replay still reads REPLAYED. */
export const CHALLENGE_RETENTION_MS = 24 * 3600_000;
/** Outstanding challenges per session (several tabs); bounds the work of one verification. */
export const MAX_OUTSTANDING_PER_SESSION = 8;
/** How often the SQL and memory stores delete what outlived the retention (Redis expires keys itself). */
export const CLEANUP_INTERVAL_MS = 60_000;
