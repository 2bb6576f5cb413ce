// SQLite-backed daemon state.
export { openStateDb, openDatabase, migrate, STATE_FILE, type StateDb } from './db.js';
export { OriginStore, normalizeOrigin, type OriginEntry, type OriginDecision, type OriginSource } from './origins.js';
