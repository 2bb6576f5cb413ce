// One JSON-RPC 2.0 connection to the bridge: lazy open, request/response matching, per-call
// timeouts, notifications, and a background reconnect while someone listens for them.
import { CONNECT_TIMEOUT_MS, RECONNECT_MAX_MS, RECONNECT_MIN_MS, TLS_HINT_PATH, TLS_HINT_PORT_OFFSET, TLS_HINT_TIMEOUT_MS } from './constants.js';
import { errorFromRpc, KysoBridgeError, PluginNotRunningError, TimeoutError, TlsNotTrustedError } from './errors.js';

/**
 * Why a wss:// connection failed, which the browser does not say: if the bridge's plain-HTTP hint
 * (port + 1) answers, the bridge runs and the browser refused its certificate.
 */
export async function diagnoseConnectFailure(url: string): Promise<PluginNotRunningError> {
  const notRunning = new PluginNotRunningError(undefined, { reason: 'connect-failed' });
  let u: URL;
  try { u = new URL(url); } catch { return notRunning; }
  const f = (globalThis as { fetch?: typeof fetch }).fetch;
  if (u.protocol !== 'wss:' || !f) return notRunning;
  const hint = `http://${u.hostname}:${Number(u.port || 443) + TLS_HINT_PORT_OFFSET}${TLS_HINT_PATH}`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TLS_HINT_TIMEOUT_MS);
  try {
    const body = (await (await f(hint, { signal: abort.signal, cache: 'no-store' })).json()) as { name?: unknown };
    return body?.name === 'kyso-bridge' ? new TlsNotTrustedError(undefined, { reason: 'tls-refused' }) : notRunning;
  } catch {
    return notRunning;
  } finally {
    clearTimeout(timer);
  }
}

/** The part of the WHATWG WebSocket the SDK uses (the browser's, Node's global, or `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

interface Pending { resolve(v: unknown): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }
type Listener = (method: string, params: unknown) => void;

const OPEN = 1;

export class Connection {
  private ws: WebSocketLike | null = null;
  private opening: Promise<WebSocketLike> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** A privileged call succeeded: the origin is approved, so refreshing on reconnect shows no dialog. */
  approved = false;
  /** Called after a background reconnect (the SDK refreshes tokens then). */
  onReconnect: (() => void) | null = null;

  constructor(readonly url: string, private readonly Ctor: WebSocketCtor, private readonly connectTimeoutMs = CONNECT_TIMEOUT_MS) {}

  open(): Promise<WebSocketLike> {
    if (this.ws && this.ws.readyState === OPEN) return Promise.resolve(this.ws);
    this.closed = false;
    this.opening ??= new Promise<WebSocketLike>((resolve, reject) => {
      let ws: WebSocketLike;
      try {
        ws = new this.Ctor(this.url);
      } catch (e) {
        this.opening = null;
        reject(new PluginNotRunningError(undefined, { reason: 'invalid-url', detail: String(e) }));
        return;
      }
      let settled = false;
      const timer = setTimeout(() => {
        settle(new PluginNotRunningError(undefined, { reason: 'connect-timeout' }));
        try { ws.close(); } catch { /* already closing */ }
      }, this.connectTimeoutMs);
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.opening = null;
        if (err) reject(err); else resolve(ws);
      };
      ws.onopen = () => {
        this.ws = ws;
        this.retryMs = RECONNECT_MIN_MS;
        settle();
      };
      // Browsers hide why a socket failed (refused, TLS not trusted): the hint tells them apart.
      let diagnosing = false;
      const failed = () => {
        // error and close both fire for one failure: one diagnosis.
        if (settled || diagnosing) return;
        diagnosing = true;
        clearTimeout(timer);
        void diagnoseConnectFailure(this.url).then((e) => settle(e));
      };
      ws.onerror = failed;
      ws.onclose = () => {
        failed();
        if (this.ws === ws) this.dropped();
      };
      ws.onmessage = (ev) => this.receive(ev.data);
    });
    return this.opening;
  }

  async call(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    const ws = await this.open();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(undefined, { method, timeoutMs }));
      }, timeoutMs);
      const done = (v: unknown) => {
        if (method !== 'bridge.info') this.approved = true;
        resolve(v);
      };
      this.pending.set(id, { resolve: done, reject, timer });
      try {
        ws.send(JSON.stringify(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }));
      } catch {
        this.finish(id, undefined, new PluginNotRunningError(undefined, { reason: 'send-failed' }));
      }
    });
  }

  /** Listens for notifications; keeps the connection (and reconnects) while any listener remains. */
  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    if (!this.ws) this.open().catch(() => this.scheduleReconnect());
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    };
  }

  /** Delivers a notification to the listeners as if the bridge had sent it. */
  emit(method: string, params: unknown): void {
    for (const fn of [...this.listeners]) {
      try { fn(method, params); } catch { /* a page's listener must not break the socket */ }
    }
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    if (this.retryTimer) { clearTimeout(this.retryTimer); this.retryTimer = null; }
    const ws = this.ws;
    this.ws = null;
    this.failAll();
    try { ws?.close(1000); } catch { /* ignore */ }
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'string') return; // the protocol is text frames only
    let msg: { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: { code?: number; message?: string; data?: unknown } };
    try { msg = JSON.parse(raw); } catch { return; }
    if (!msg || typeof msg !== 'object') return;
    if (typeof msg.method === 'string' && msg.id === undefined) {
      this.emit(msg.method, msg.params);
      return;
    }
    if (typeof msg.id !== 'number') return;
    if (msg.error) this.finish(msg.id, undefined, errorFromRpc(msg.error));
    else this.finish(msg.id, msg.result);
  }

  private finish(id: number, result: unknown, err?: KysoBridgeError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err); else p.resolve(result);
  }

  private failAll(): void {
    for (const [id] of this.pending) this.finish(id, undefined, new PluginNotRunningError(undefined, { reason: 'connection-lost' }));
  }

  private dropped(): void {
    this.ws = null;
    this.failAll();
    if (!this.closed && this.listeners.size > 0) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer || this.listeners.size === 0) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open().then(() => this.onReconnect?.(), () => this.scheduleReconnect());
    }, delay);
  }
}
