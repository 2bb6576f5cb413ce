// One WebSocket connection: parses frames, enforces the pending-request cap, checks the origin
// for privileged methods, calls the core, and answers in the connection's language. Nothing a
// client sends can throw out of here.
import type { WebSocket } from 'ws';
import { KysoError, isKysoError } from '../errors.js';
import type { Lang } from '../i18n/messages.js';
import type { Logger } from '../log.js';
import type { BridgeService } from '../core/bridge-service.js';
import { METHODS, validateParams } from '../protocol/methods.js';
import {
  INVALID_REQUEST, METHOD_NOT_FOUND, ProtocolError, errorFrame, parseFrame, protocolErrorFrame, resultFrame, type RpcRequest,
} from '../protocol/jsonrpc.js';
import { MAX_PENDING_PER_CONNECTION } from './limits.js';
import type { OriginPolicy } from './origin-policy.js';

let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  private pending = 0;
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly ws: WebSocket,
    readonly origin: string,
    private readonly lang: Lang,
    private readonly core: BridgeService,
    private readonly policy: OriginPolicy,
    private readonly log: Logger,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    // A closed connection cancels its open dialogs: nobody is there to see the answer.
    ws.on('close', () => this.abort.abort());
  }

  get approved(): boolean {
    return this.policy.isApproved(this.origin);
  }

  /** Resolves when every request of this connection has finished. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  send(frame: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    let req: RpcRequest;
    try {
      if (isBinary) throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: text frames only');
      req = parseFrame(data.toString('utf8'));
    } catch (e) {
      const pe = e instanceof ProtocolError ? e : new ProtocolError(INVALID_REQUEST, 'Invalid Request');
      this.log.info({ conn: this.id, origin: this.origin, outcome: pe.rpcCode }, 'bad frame');
      this.send(protocolErrorFrame(pe));
      return;
    }
    const job = this.handle(req).finally(() => this.running.delete(job));
    this.running.add(job);
  }

  private async handle(req: RpcRequest): Promise<void> {
    const started = performance.now();
    const method = Object.prototype.hasOwnProperty.call(METHODS, req.method) ? METHODS[req.method] : undefined;
    const reply = (frame: string) => { if (!req.notification) this.send(frame); };
    const done = (outcome: string) => this.log.info({ conn: this.id, origin: this.origin, method: req.method, rid: req.id, ms: +(performance.now() - started).toFixed(2), outcome }, 'request');
    if (!method) {
      reply(protocolErrorFrame(new ProtocolError(METHOD_NOT_FOUND, `Method not found: ${req.method.slice(0, 64)}`, req.id)));
      done('METHOD_NOT_FOUND');
      return;
    }
    if (this.pending >= MAX_PENDING_PER_CONNECTION) {
      reply(errorFrame(req.id, new KysoError('BUSY'), this.lang));
      done('BUSY');
      return;
    }
    this.pending++;
    try {
      const params = validateParams(method, req.params);
      if (!method.public) await this.policy.ensureApproved(this.origin, this.abort.signal);
      const result = await method.run(this.core, { origin: this.origin, signal: this.abort.signal, lang: this.lang }, params);
      reply(resultFrame(req.id, result));
      done('ok');
    } catch (e) {
      const err = isKysoError(e) ? e : new KysoError('INTERNAL', {}, (e as Error)?.message);
      if (!isKysoError(e)) this.log.error({ conn: this.id, method: req.method, err: (e as Error)?.stack }, 'internal error');
      reply(errorFrame(req.id, err, this.lang));
      done(err.code);
    } finally {
      this.pending--;
    }
  }
}
