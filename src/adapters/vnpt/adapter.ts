// VNPT-CA Plugin on wss://localhost:4433/plugin: one reused socket, requests answered one at a
// time in order, `"<result>*<callback>"`. The page's `domain` must name the handshake Origin's
// host; the Origin alone decides who asks (grants, dialogs).
import type { BridgeService } from '../../core/bridge-service.js';
import { KysoError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { SerialSession } from '../compat/serial-session.js';
import { wholeDocumentFrameBytes } from '../compat/frame-limits.js';
import type { AdapterSession, Peer, ProtocolAdapter } from '../protocol-adapter.js';
import { DEFAULT_CALLBACK, domainMatches, jsonResult, parseFrame, replyFrame } from './codec.js';
import { functionFor } from './functions.js';

export const VNPT_PORT = 4433;
export const VNPT_PATH = '/plugin';

class VnptSession extends SerialSession {
  constructor(peer: Peer, log: Logger, private readonly core: BridgeService) {
    super(peer, log, 'vnpt');
  }

  protected binaryReply(): string {
    return replyFrame(jsonResult({ code: 1, error: 'text frames only' }), DEFAULT_CALLBACK);
  }

  protected async handle(text: string): Promise<string> {
    const started = performance.now();
    const { peer } = this;
    const parsed = parseFrame(text);
    if (!parsed.ok) {
      this.logCall('?', started, 'INVALID_PARAMS');
      return replyFrame(jsonResult({ code: 1, error: `kyso-bridge: ${parsed.why}` }), parsed.callback);
    }
    const { request, callback } = parsed;
    const fn = functionFor(request.functionID);
    try {
      if (!domainMatches(request.domain, peer.origin)) {
        throw new KysoError('ORIGIN_NOT_ALLOWED', { origin: peer.origin }, `domain "${String(request.domain).slice(0, 60)}" is not the page's origin ${peer.origin}`);
      }
      const result = await fn.run({ core: this.core, ctx: { origin: peer.origin, signal: peer.signal, lang: peer.lang }, args: request.args });
      this.logCall(fn.name, started, 'ok');
      return replyFrame(result, callback);
    } catch (e) {
      this.logCall(fn.name, started, e);
      return replyFrame(fn.fail(e, peer.lang), callback);
    }
  }
}

export class VnptAdapter implements ProtocolAdapter {
  readonly name = 'vnpt';
  readonly mode = 'many';
  /** One frame carries every document of a signArrDataAdvanced call as base64. */
  readonly maxFrameBytes: number;

  constructor(private readonly core: BridgeService, private readonly log: Logger) {
    this.maxFrameBytes = wholeDocumentFrameBytes(core.maxDocumentBytes);
  }

  acceptsPath(pathname: string): boolean {
    return pathname === VNPT_PATH;
  }

  open(peer: Peer): AdapterSession {
    return new VnptSession(peer, this.log, this.core);
  }
}
