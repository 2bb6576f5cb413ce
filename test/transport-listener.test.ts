// The listener on its own, with a small adapter: Host/Origin checks happen before any adapter
// code, "one request per socket" adapters see only the first frame, the frame cap is the
// adapter's, and closing a socket aborts its peer signal.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { AdapterSession, Peer, ProtocolAdapter } from '../src/adapters/protocol-adapter.js';
import { silentLogger } from '../src/log.js';
import { startListener, type Listener } from '../src/transport/listener.js';

class EchoAdapter implements ProtocolAdapter {
  readonly name = 'echo';
  readonly peers: Peer[] = [];
  readonly frames: string[] = [];
  constructor(readonly mode: 'many' | 'one', readonly maxFrameBytes = 1024) {}
  acceptsPath(p: string): boolean { return p === '/echo'; }
  open(peer: Peer): AdapterSession {
    this.peers.push(peer);
    return {
      onFrame: async (text, isBinary) => { this.frames.push(text); peer.send(isBinary ? 'binary refused' : `${peer.origin} ${text}`); },
      drain: async () => undefined,
      onClose: () => undefined,
    };
  }
}

let listener: Listener | undefined;
afterEach(async () => { await listener?.close(100); listener = undefined; });

function connect(port: number, headers: Record<string, string>, path = '/echo'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const next = (ws: WebSocket) => new Promise<string>((r) => ws.once('message', (d) => r(String(d))));

describe('Listener', () => {
  it('refuses a foreign Host, a null Origin and another path before the adapter sees anything', async () => {
    const adapter = new EchoAdapter('many');
    listener = await startListener({ host: '127.0.0.1', port: 0, adapter, allowLocalPrograms: false, lang: 'vi', log: silentLogger });
    await expect(connect(listener.port, { Host: `evil.example:${listener.port}`, Origin: 'https://a.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(listener.port, { Origin: 'null' })).rejects.toThrow('HTTP 403');
    await expect(connect(listener.port, {})).rejects.toThrow('HTTP 403'); // no Origin, local programs not allowed
    await expect(connect(listener.port, { Origin: 'https://a.example' }, '/v1')).rejects.toThrow('HTTP 404');
    expect(adapter.peers).toEqual([]);
  });

  it('"many": every frame reaches the adapter with the handshake origin; closing aborts the peer signal', async () => {
    const adapter = new EchoAdapter('many');
    listener = await startListener({ host: '127.0.0.1', port: 0, adapter, allowLocalPrograms: false, lang: 'vi', log: silentLogger });
    const ws = await connect(listener.port, { Origin: 'https://A.example' });
    ws.send('one');
    expect(await next(ws)).toBe('https://a.example one');
    ws.send('two');
    expect(await next(ws)).toBe('https://a.example two');
    ws.close();
    for (const end = Date.now() + 5000; !adapter.peers[0]!.signal.aborted && Date.now() < end;) await new Promise((r) => setTimeout(r, 10));
    expect(adapter.peers[0]!.signal.aborted).toBe(true);
  });

  it('"one": only the first frame of a socket is a request; a second one closes it (1008)', async () => {
    const adapter = new EchoAdapter('one');
    listener = await startListener({ host: '127.0.0.1', port: 0, adapter, allowLocalPrograms: false, lang: 'vi', log: silentLogger });
    const ws = await connect(listener.port, { Origin: 'https://a.example' });
    ws.send('first');
    expect(await next(ws)).toBe('https://a.example first');
    const code = new Promise<number>((r) => ws.once('close', (c) => r(c)));
    ws.send('second');
    expect(await code).toBe(1008);
    expect(adapter.frames).toEqual(['first']);
  });

  it('a port whose adapter takes large frames allows 2 sockets per origin', async () => {
    const adapter = new EchoAdapter('many', 1024 * 1024);
    listener = await startListener({ host: '127.0.0.1', port: 0, adapter, allowLocalPrograms: false, lang: 'vi', log: silentLogger });
    const a = await connect(listener.port, { Origin: 'https://a.example' });
    const b = await connect(listener.port, { Origin: 'https://a.example' });
    await expect(connect(listener.port, { Origin: 'https://a.example' })).rejects.toThrow('HTTP 429');
    const other = await connect(listener.port, { Origin: 'https://b.example' });
    for (const ws of [a, b, other]) ws.close();
  });

  it('a frame over the adapter cap closes the socket with 1009', async () => {
    const adapter = new EchoAdapter('many', 1024);
    listener = await startListener({ host: '127.0.0.1', port: 0, adapter, allowLocalPrograms: false, lang: 'vi', log: silentLogger });
    const ws = await connect(listener.port, { Origin: 'https://a.example' });
    const code = new Promise<number>((r) => ws.once('close', (c) => r(c)));
    ws.send(randomBytes(2048).toString('hex'));
    expect(await code).toBe(1009);
    expect(adapter.frames).toEqual([]);
  });
});
