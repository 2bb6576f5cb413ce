// BkavCA Signer Plugin on wss://localhost:8443: `*`-delimited frames, chunked by the script,
// one callback slot (calls answered one at a time, in order). Connect is the socket opening.
import type { BridgeService } from '../../core/bridge-service.js';
import type { Logger } from '../../log.js';
import { SerialSession } from '../compat/serial-session.js';
import type { AdapterSession, Peer, ProtocolAdapter } from '../protocol-adapter.js';
import { FrameAssembler, SCRIPT_CHUNK_CHARS, parseFrame, replyFrame } from './codec.js';
import { functionFor } from './functions.js';

export const BKAV_PORT = 8443;

class BkavSession extends SerialSession {
  private readonly frames: FrameAssembler;

  constructor(peer: Peer, log: Logger, private readonly core: BridgeService, maxChars: number) {
    super(peer, log, 'bkav');
    this.frames = new FrameAssembler(maxChars);
  }

  protected binaryReply(): string {
    return replyFrame('-1');
  }

  protected override gather(chunk: string): string | undefined {
    return this.frames.push(chunk);
  }

  protected async handle(frame: string): Promise<string | undefined> {
    const started = performance.now();
    const request = parseFrame(frame);
    const fn = functionFor(request.id);
    let result: string;
    try {
      result = await fn.run({ core: this.core, ctx: { origin: this.peer.origin, signal: this.peer.signal, lang: this.peer.lang }, args: request.args });
      this.logCall(fn.name, started, 'ok');
    } catch (e) {
      this.logCall(fn.name, started, e);
      result = fn.fail(e);
    }
    return request.wantsReply ? replyFrame(result) : undefined;
  }
}

export class BkavAdapter implements ProtocolAdapter {
  readonly name = 'bkav';
  readonly mode = 'many';
  /** One chunk of the script: 114 271 characters, up to 3 bytes each in UTF-8. */
  readonly maxFrameBytes = SCRIPT_CHUNK_CHARS * 3 + 1024;
  /** A whole frame once its chunks are joined: a document as base64 and the other fields. */
  private readonly maxFrameChars: number;

  constructor(private readonly core: BridgeService, private readonly log: Logger) {
    this.maxFrameChars = Math.ceil(core.maxDocumentBytes / 3) * 4 + 64 * 1024;
  }

  acceptsPath(pathname: string): boolean {
    return pathname === '/';
  }

  open(peer: Peer): AdapterSession {
    return new BkavSession(peer, this.log, this.core, this.maxFrameChars);
  }
}
