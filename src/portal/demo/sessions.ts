// Cookie sessions for the demo portal (in memory): the challenge binding and the
// server-verified identity waiting for its e-mail live here, never in the page.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifiedAuth } from '../verify.js';

export const COOKIE = 'kyso_demo_sid';
const MAX_SESSIONS = 10_000;
const IDLE_MS = 30 * 60_000;

export interface Session {
  id: string;
  lastSeen: number;
  /** Verified by /api/register/verify, consumed by /api/register. */
  pending?: VerifiedAuth;
  accountId?: number;
  /** The CA certificates (base64 DER) the user's token presented at login: intermediates for verifying their documents. */
  chain?: string[];
  /** The last signed file of each kind submitted in "Nộp hồ sơ" (demo only: one of each per session). */
  submissions?: Partial<Record<'pdf' | 'xml', Buffer>>;
}

export class Sessions {
  private readonly map = new Map<string, Session>();

  constructor(private readonly secure: boolean) {}

  /** The request's session, creating one (and its cookie) when missing or stale. */
  get(req: IncomingMessage, res: ServerResponse): Session {
    const sid = cookie(req.headers.cookie, COOKIE);
    const now = Date.now();
    const found = sid ? this.map.get(sid) : undefined;
    if (found && now - found.lastSeen < IDLE_MS) {
      found.lastSeen = now;
      return found;
    }
    if (this.map.size >= MAX_SESSIONS) this.evict(now);
    const s: Session = { id: randomBytes(32).toString('base64url'), lastSeen: now };
    this.map.set(s.id, s);
    res.setHeader('Set-Cookie', `${COOKIE}=${s.id}; Path=/; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`);
    return s;
  }

  private evict(now: number): void {
    for (const [k, s] of this.map) if (now - s.lastSeen >= IDLE_MS) this.map.delete(k);
    // Still full: drop the oldest (Map keeps insertion order).
    while (this.map.size >= MAX_SESSIONS) this.map.delete(this.map.keys().next().value as string);
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
