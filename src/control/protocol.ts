// The control channel's wire format: one JSON object per line each way, {id, method, params}
// → {id, result} | {id, error: {code, message}}. Requests are schema-checked and size-capped.
import { z } from 'zod';
import type { OriginGrants } from '../state/grants.js';

export const CONTROL_METHODS = ['status', 'tokens', 'certificates', 'origins'] as const;
export type ControlMethod = (typeof CONTROL_METHODS)[number];

/** A request line longer than this closes the connection: the CLI's requests are tiny. */
export const MAX_CONTROL_LINE_BYTES = 4 * 1024;
/** An idle control connection is closed after this long. */
export const CONTROL_IDLE_MS = 60_000;

export const ControlRequestSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.enum(CONTROL_METHODS),
  params: z.strictObject({ lang: z.enum(['vi', 'en']).optional() }).optional(),
});
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

export interface ControlStatus {
  name: 'kyso-bridge';
  version: string;
  pid: number;
  /** e.g. ["wss://127.0.0.1:15976/v1"]. */
  listeners: string[];
  tokens: number;
  configDir: string;
  caFile?: string;
  modules: { path: string; name: string; loaded: boolean; error?: string }[];
  startedAt: string;
}

export interface ControlOriginsResult {
  /** Grants per origin as `origins list --json` shows them (state database, config, built-in). */
  entries: OriginGrants[];
  /** Origins this daemon allows without a dialog: defaults, config, command line (the demo's portal). */
  allowList: string[];
}

export type ControlReply = { id: number | null; result: unknown } | { id: number | null; error: { code: string; message: string } };
