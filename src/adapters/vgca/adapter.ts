// VGCA Sign Service (Ban Cơ yếu Chính phủ) on wss://127.0.0.1:8987/<Endpoint>: one socket per
// call, one text frame, one JSON reply with a numeric Status. The path chooses the endpoint.
import type { BridgeService } from '../../core/bridge-service.js';
import type { Logger } from '../../log.js';
import { wholeDocumentFrameBytes } from '../compat/frame-limits.js';
import type { AdapterSession, Peer, ProtocolAdapter } from '../protocol-adapter.js';
import { VGCA_STATUS, VgcaRefusal, errorReply, okReply } from './codec.js';
import { endpointFor } from './methods.js';

export const VGCA_PORT = 8987;

export class VgcaAdapter implements ProtocolAdapter {
  readonly name = 'vgca';
  readonly mode = 'one';
  /** The largest frame carries a whole document as base64 (SignXML, old SignMsg). */
  readonly maxFrameBytes: number;

  constructor(private readonly core: BridgeService, private readonly log: Logger) {
    this.maxFrameBytes = wholeDocumentFrameBytes(core.maxDocumentBytes);
  }

  /** `/GetCertInfo`, `/SignMsg`…, and `/` (integrators probe the port). */
  acceptsPath(pathname: string): boolean {
    return /^\/[A-Za-z]{0,40}$/.test(pathname);
  }

  open(peer: Peer): AdapterSession {
    let running: Promise<void> = Promise.resolve();
    return {
      onFrame: (text, isBinary) => running = this.answer(peer, peer.path, text, isBinary),
      drain: () => running,
      onClose: () => undefined,
    };
  }

  private async answer(peer: Peer, path: string, text: string, isBinary: boolean): Promise<void> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      if (isBinary) throw new VgcaRefusal(VGCA_STATUS.BAD_INPUT, 'text frames only');
      const endpoint = endpointFor(path);
      const result = await endpoint({ core: this.core, ctx: { origin: peer.origin, signal: peer.signal, lang: peer.lang }, frame: text });
      // VerifyXML answers a bare array; every other endpoint an object with Status.
      peer.send(Array.isArray(result) ? JSON.stringify(result) : okReply(result));
    } catch (e) {
      outcome = e instanceof VgcaRefusal ? `status ${e.status}` : (e as { code?: string }).code ?? 'INTERNAL';
      if (!(e instanceof VgcaRefusal) && !(e as { code?: string }).code) this.log.error({ conn: peer.id, err: (e as Error)?.stack }, 'internal error');
      peer.send(errorReply(e, peer.lang));
    } finally {
      // The endpoint and the outcome; never the frame (hashes, challenges).
      this.log.info({ conn: peer.id, origin: peer.origin, listener: this.name, fn: path.slice(0, 41), ms: +(performance.now() - started).toFixed(2), outcome }, 'request');
    }
  }
}
