// The browser SDK against a tiny loopback JSON-RPC server (ws): typed errors per code,
// timeouts, plugin-not-running, notifications and reconnect.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import * as K from '../src/client/index.js';

type Handler = (method: string, params: any) => { result?: unknown; error?: unknown } | 'hang' | undefined;

let server: WebSocketServer;
let url: string;
let handler: Handler = () => undefined;
const received: { method: string; params: any }[] = [];

beforeAll(async () => {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/v1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  server.on('connection', (sock) => {
    sock.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      received.push({ method: msg.method, params: msg.params });
      const out = handler(msg.method, msg.params);
      if (out === 'hang') return;
      if (out === undefined) {
        sock.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found' } }));
      } else {
        sock.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...out }));
      }
    });
  });
  K.configure({ url, WebSocket: WebSocket as unknown as K.WebSocketCtor, connectTimeoutMs: 2000 });
});

afterEach(() => {
  K.disconnect();
  received.length = 0;
  handler = () => undefined;
});

afterAll(async () => {
  for (const c of server.clients) c.terminate();
  await new Promise((r) => server.close(r));
});

const INFO = { name: 'kyso-bridge', version: '0.1.0', protocol: 1, platform: 'linux', features: ['auth.sign'] };
const NONCE = 'A'.repeat(43);
const bridgeError = (code: string, data: Record<string, unknown> = {}, message = 'Lỗi') =>
  ({ error: { code: -32000, message, data: { code, ...data } } });

describe('status', () => {
  it('reports a running bridge and its info', async () => {
    handler = (m) => (m === 'bridge.info' ? { result: INFO } : undefined);
    const s = await K.status();
    expect(s).toMatchObject({ running: true, compatible: true, info: { name: 'kyso-bridge' } });
  });

  it('reports {running:false} with PluginNotRunningError when nothing listens', async () => {
    const s = await K.status({ url: 'ws://127.0.0.1:1/v1' });
    expect(s.running).toBe(false);
    if (!s.running) {
      expect(s.error).toBeInstanceOf(K.PluginNotRunningError);
      const e = s.error as K.PluginNotRunningError;
      expect(e.code).toBe('PLUGIN_NOT_RUNNING');
      expect(e.guidance.vi).toContain('kyso-bridge');
      expect(e.localized('en')).toMatch(/Install/);
    }
  });

  it('flags another protocol version as incompatible', async () => {
    handler = () => ({ result: { ...INFO, protocol: 2 } });
    expect(await K.status()).toMatchObject({ running: true, compatible: false });
  });
});

describe('calls that throw', () => {
  it('authenticate throws PluginNotRunningError when the socket cannot open', async () => {
    await expect(K.authenticate(NONCE, { url: 'ws://127.0.0.1:1/v1' })).rejects.toBeInstanceOf(K.PluginNotRunningError);
  });

  const cases: [string, new (...a: any[]) => K.KysoBridgeError][] = [
    ['ORIGIN_NOT_ALLOWED', K.OriginNotAllowedError], ['USER_CANCELLED', K.UserCancelledError],
    ['PIN_INCORRECT', K.PinIncorrectError], ['PIN_LOCKED', K.PinLockedError],
    ['TOKEN_NOT_PRESENT', K.TokenNotPresentError], ['TOKEN_REMOVED', K.TokenRemovedError],
    ['CERTIFICATE_NOT_FOUND', K.CertificateNotFoundError], ['CERTIFICATE_INVALID', K.CertificateInvalidError],
    ['INVALID_PARAMS', K.InvalidParamsError], ['BUSY', K.BusyError], ['TIMEOUT', K.TimeoutError],
    ['DRIVER_ERROR', K.DriverError], ['INTERNAL', K.InternalError],
  ];
  for (const [code, Cls] of cases) {
    it(`maps ${code} to ${Cls.name}`, async () => {
      handler = () => bridgeError(code, {}, `thông báo ${code}`);
      const err = await K.authenticate(NONCE).catch((e) => e);
      expect(err).toBeInstanceOf(Cls);
      expect(err).toBeInstanceOf(K.KysoBridgeError);
      expect(err.code).toBe(code);
      expect(err.message).toBe(`thông báo ${code}`);
    });
  }

  it('folds finer bridge codes into the nearest class, keeping data.code', async () => {
    for (const [code, Cls] of [['PIN_LEN_RANGE', K.PinIncorrectError], ['KEY_NOT_FOUND', K.CertificateNotFoundError], ['MECHANISM_INVALID', K.DriverError]] as const) {
      handler = () => bridgeError(code);
      const err = await K.authenticate(NONCE).catch((e) => e);
      expect(err).toBeInstanceOf(Cls);
      expect(err.data.code).toBe(code);
    }
  });

  it('PinIncorrectError carries retriesLeft', async () => {
    handler = () => bridgeError('PIN_INCORRECT', { retriesLeft: 2 });
    const err = await K.authenticate(NONCE).catch((e) => e);
    expect(err.retriesLeft).toBe(2);
    expect(err.localized('vi')).toContain('Còn 2 lần thử');
  });

  it('CertificateInvalidError carries the validation status', async () => {
    handler = () => bridgeError('CERTIFICATE_INVALID', { status: { ok: false, code: 'EXPIRED', message: 'hết hạn' } });
    const err = await K.authenticate(NONCE).catch((e) => e);
    expect(err.status).toMatchObject({ code: 'EXPIRED' });
  });

  it('maps broken-frame errors without a bridge code to InternalError', async () => {
    const err = await K.listTokens().catch((e) => e);
    expect(err).toBeInstanceOf(K.InternalError);
    expect(err.data.rpcCode).toBe(-32601);
  });

  it('rejects a bad nonce locally with InvalidParamsError', async () => {
    await expect(K.authenticate('short')).rejects.toBeInstanceOf(K.InvalidParamsError);
    expect(received).toHaveLength(0);
  });

  it('times out with TimeoutError when the bridge does not answer', async () => {
    handler = () => 'hang';
    const t0 = Date.now();
    await expect(K.authenticate(NONCE, { timeoutMs: 200 })).rejects.toBeInstanceOf(K.TimeoutError);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('uses named timeouts: about 3 minutes for interactive calls', () => {
    expect(K.INTERACTIVE_TIMEOUT_MS).toBeGreaterThanOrEqual(170_000);
    expect(K.INFO_TIMEOUT_MS).toBeLessThan(K.INTERACTIVE_TIMEOUT_MS);
  });

  it('fails pending calls with PluginNotRunningError when the connection drops', async () => {
    handler = () => {
      setTimeout(() => { for (const c of server.clients) c.terminate(); }, 20);
      return 'hang';
    };
    await expect(K.authenticate(NONCE)).rejects.toBeInstanceOf(K.PluginNotRunningError);
    // …and the next call reconnects.
    handler = (m) => (m === 'bridge.info' ? { result: INFO } : undefined);
    expect((await K.status()).running).toBe(true);
  });
});

describe('successful calls', () => {
  it('authenticate sends nonce (+certificateId) and returns the proof', async () => {
    const token = { format: 'kyso-auth:1', certificate: 'AA==', chain: [], algorithm: 'RS256', signature: 'AA==', origin: 'http://x' };
    handler = (m) => (m === 'auth.sign' ? { result: token } : undefined);
    expect(await K.authenticate(NONCE, { certificateId: 'c1' })).toEqual(token);
    expect(received.at(-1)).toEqual({ method: 'auth.sign', params: { nonce: NONCE, certificateId: 'c1' } });
  });

  it('listCertificates and signHash', async () => {
    handler = (m, p) => {
      if (m === 'certificates.list') return { result: { certificates: [{ id: 'c1', tokenId: p.tokenId, status: { ok: true, code: 'VALID', message: '' } }] } };
      if (m === 'sign.hash') return { result: { signature: 'c2ln', algorithm: 'RS256' } };
      return undefined;
    };
    expect((await K.listCertificates({ tokenId: 't1' }))[0]).toMatchObject({ id: 'c1', tokenId: 't1' });
    const hash = new Uint8Array(32).fill(7);
    expect(await K.signHash({ certificateId: 'c1', hash, hashAlgorithm: 'SHA-256' })).toEqual({ signature: 'c2ln', algorithm: 'RS256' });
    expect(received.at(-1)?.params.hash).toBe(Buffer.from(hash).toString('base64'));
    await expect(K.signHash({ certificateId: 'c1', hash, hashAlgorithm: 'SHA-384' })).rejects.toBeInstanceOf(K.InvalidParamsError);
  });

  it('onTokensChanged delivers notifications, and refreshes after a reconnect', async () => {
    const tokens = [{ id: 't1' }];
    handler = (m) => (m === 'tokens.list' ? { result: { tokens } } : undefined);
    const seen: unknown[] = [];
    await K.listTokens(); // approves the connection (no consent dialog on refresh)
    const off = K.onTokensChanged((t) => seen.push(t));
    for (const c of server.clients) c.send(JSON.stringify({ jsonrpc: '2.0', method: 'tokens.changed', params: { tokens: [] } }));
    await vi_waitFor(() => seen.length === 1);
    expect(seen[0]).toEqual([]);
    for (const c of server.clients) c.terminate();
    await vi_waitFor(() => seen.length === 2, 5000);
    expect(seen[1]).toEqual(tokens);
    off();
  });
});

async function vi_waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
