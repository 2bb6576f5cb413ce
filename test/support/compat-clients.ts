// Clients that speak the vendor protocols the way the vendor scripts do (written from
// docs/compat.md, not from the scripts): VGCA one socket per call, VNPT-CA one reused socket
// with `<result>*<callback>` replies, BkavCA `*`-delimited frames with `*end`, chunked.
import WebSocket from 'ws';
import type { TestDaemon } from './daemon.js';

export interface ClientOptions { origin?: string; ca?: string }

function open(url: string, o: ClientOptions): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin: o.origin, ca: o.ca });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

/** A queue of incoming text messages, read in order. */
class Inbox {
  private readonly messages: string[] = [];
  private readonly waiting: ((m: string) => void)[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = String(d);
      const w = this.waiting.shift();
      if (w) w(m); else this.messages.push(m);
    });
  }
  next(timeoutMs = 45_000): Promise<string> {
    const m = this.messages.shift();
    if (m !== undefined) return Promise.resolve(m);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no reply')), timeoutMs);
      this.waiting.push((x) => { clearTimeout(t); resolve(x); });
    });
  }
  get queued(): number { return this.messages.length; }
}

/** VGCA: `wss://HOST:PORT/<Endpoint>`, one frame, the first reply, then close. */
export async function vgcaCall(base: string, endpoint: string, frame: string, o: ClientOptions): Promise<unknown> {
  const ws = await open(`${base}/${endpoint}`, o);
  const inbox = new Inbox(ws);
  ws.send(frame);
  try {
    return JSON.parse(await inbox.next());
  } finally {
    ws.close();
  }
}

export class VnptClient {
  private constructor(private readonly inbox: Inbox, private readonly domain: string) {}

  static async connect(url: string, o: ClientOptions & { domain?: string }): Promise<VnptClient> {
    const ws = await open(url, o);
    return new VnptClient(new Inbox(ws), o.domain ?? new URL(o.origin ?? 'http://x').hostname);
  }

  /** Sends like sendMessageToPlugin; resolves with [result, callback]. */
  async call(functionID: number, args: unknown[], opts: { callback?: string; domain?: string } = {}): Promise<[string, string]> {
    this.send(functionID, args, opts);
    return this.reply();
  }

  send(functionID: number, args: unknown[], opts: { callback?: string; domain?: string } = {}): void {
    this.inbox.ws.send(JSON.stringify({ functionID, funcCallback: opts.callback ?? 'callbackDefault', args, domain: opts.domain ?? this.domain }));
  }

  async reply(): Promise<[string, string]> {
    const parts = (await this.inbox.next()).split('*');
    return [parts[0]!, parts[1]!];
  }

  sendRaw(text: string): void { this.inbox.ws.send(text); }
  close(): void { this.inbox.ws.close(); }
}

/** The script's chunk size. */
export const BKAV_CHUNK = 114_271;

export class BkavClient {
  private constructor(private readonly inbox: Inbox) {}

  static async connect(url: string, o: ClientOptions): Promise<BkavClient> {
    return new BkavClient(new Inbox(await open(url, o)));
  }

  /** `ID*args…*BkavExtensionCallback*end`, cut into the script's chunks; resolves with the result. */
  async call(id: number, args: string[]): Promise<string> {
    this.send(id, args, true);
    const reply = await this.inbox.next();
    const parts = reply.split('*');
    if (parts.slice(-2).join('*') !== 'BkavExtensionCallback*end') throw new Error(`bad reply ${reply.slice(0, 80)}`);
    return parts.slice(0, -2).join('*');
  }

  /** A call without a callback (SetLicenseKey…): nothing comes back. */
  send(id: number, args: string[], callback: boolean): void {
    const frame = [String(id), ...args, ...(callback ? ['BkavExtensionCallback'] : []), 'end'].join('*');
    for (let i = 0; i < frame.length; i += BKAV_CHUNK) this.inbox.ws.send(frame.slice(i, i + BKAV_CHUNK));
  }

  get unread(): number { return this.inbox.queued; }
  close(): void { this.inbox.ws.close(); }
}

/** The URLs the daemon printed for its compatibility endpoints (`kyso-bridge compat NAME: URL`). */
export function compatUrls(d: TestDaemon): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of d.stdout().matchAll(/^kyso-bridge compat (\w+): (wss?:\/\/\S+)$/gm)) out[m[1]!] = m[2]!;
  return out;
}

export async function waitForCompat(d: TestDaemon, names: string[]): Promise<Record<string, string>> {
  for (let i = 0; i < 200; i++) {
    const urls = compatUrls(d);
    if (names.every((n) => d.stdout().includes(`kyso-bridge compat ${n}:`))) return urls;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`compat lines missing:\n${d.stdout()}`);
}
