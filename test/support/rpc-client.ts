// A minimal JSON-RPC client over `ws` for daemon tests: sends any Origin/Host, raw frames too.
import WebSocket from 'ws';

export interface RpcError { code: number; message: string; data?: { code: string; [k: string]: unknown } }
export interface RpcReply { id: unknown; result?: unknown; error?: RpcError }

export class RpcClient {
  private nextId = 1;
  private readonly waiting = new Map<unknown, (r: RpcReply) => void>();
  readonly notifications: { method: string; params: unknown }[] = [];
  readonly strays: RpcReply[] = [];
  closeCode?: number;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.method) { this.notifications.push(msg); return; }
      const w = this.waiting.get(msg.id);
      if (w) { this.waiting.delete(msg.id); w(msg); } else this.strays.push(msg);
    });
    ws.on('close', (code) => { this.closeCode = code; });
  }

  static connect(url: string, opts: { origin?: string; headers?: Record<string, string>; ca?: string } = {}): Promise<RpcClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { origin: opts.origin, headers: opts.headers, ca: opts.ca });
      ws.once('open', () => resolve(new RpcClient(ws)));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  call(method: string, params?: unknown, timeoutMs = 30_000): Promise<RpcReply> {
    const id = this.nextId++;
    return this.raw(JSON.stringify({ jsonrpc: '2.0', id, method, params }), id, timeoutMs);
  }

  /** Sends a frame as is; resolves with the reply carrying `id` (null for broken frames). */
  raw(frame: string | Buffer, id: unknown = null, timeoutMs = 30_000): Promise<RpcReply> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no reply to ${String(id)}`)), timeoutMs);
      this.waiting.set(id, (r) => { clearTimeout(t); resolve(r); });
      this.ws.send(frame);
    });
  }

  closed(): Promise<number> {
    if (this.closeCode !== undefined) return Promise.resolve(this.closeCode);
    return new Promise((resolve) => this.ws.once('close', (code) => resolve(code)));
  }

  close(): void {
    this.ws.close();
  }
}
