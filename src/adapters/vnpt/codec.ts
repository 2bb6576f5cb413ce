// VNPT-CA Plugin frames: `{functionID, funcCallback, args, domain}` in, `"<result>*<callback>"`
// out. The script splits the reply on `*`, so a result never carries one (JSON escapes it).
import { z } from 'zod';

export const DEFAULT_CALLBACK = 'callbackDefault';

const Arg = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const RequestFrame = z.object({
  functionID: z.number().int().min(0).max(100_000),
  funcCallback: z.string().max(128).optional().nullable(),
  args: z.array(Arg).max(16).optional().nullable(),
  /** Page-declared location.hostname: checked against the handshake Origin, never trusted. */
  domain: z.string().max(2048).optional().nullable(),
});
export type VnptRequest = z.infer<typeof RequestFrame>;

export type ParsedFrame = { ok: true; request: VnptRequest; callback: string } | { ok: false; callback: string; why: string };

/** The name the script dispatches on; anything that is not a plain JS name gets the promise slot. */
export function callbackName(raw: unknown): string {
  return typeof raw === 'string' && /^[A-Za-z_$][\w$]{0,127}$/.test(raw) ? raw : DEFAULT_CALLBACK;
}

export function parseFrame(text: string): ParsedFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, callback: DEFAULT_CALLBACK, why: 'the frame is not JSON' };
  }
  const callback = callbackName((raw as { funcCallback?: unknown } | null)?.funcCallback);
  const r = RequestFrame.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    return { ok: false, callback, why: `${i?.path.join('.') || 'frame'}: ${i?.message}` };
  }
  return { ok: true, request: r.data, callback };
}

/** JSON whose `*` are written `\u002a`: the same value once parsed, and one field for the script. */
export function jsonResult(value: unknown): string {
  return JSON.stringify(value).replace(/\*/g, '\\u002a');
}

export function replyFrame(result: string, callback: string): string {
  return `${result.replace(/\*/g, '')}*${callback}`;
}

/** The page's domain must be the Origin's host; absent is allowed (the Origin decides anyway). */
export function domainMatches(domain: string | null | undefined, origin: string): boolean {
  if (domain === undefined || domain === null) return true;
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false; // a local program has no host a page could name
  }
  return domain.trim().toLowerCase() === host.toLowerCase();
}

export function argString(args: VnptRequest['args'], i: number): string | undefined {
  const v = args?.[i];
  if (v === null || v === undefined) return undefined;
  return String(v);
}
