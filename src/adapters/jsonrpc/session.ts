// One JSON-RPC connection: parses frames, enforces the pending-request cap, calls the core, and
// answers in the connection's language. Who may call what is the core's decision (grants).
// Nothing a client sends can throw out of here.
import { KysoError, isKysoError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { BridgeService } from '../../core/bridge-service.js';
import type { AdapterSession, Peer } from '../protocol-adapter.js';
import {
  INVALID_REQUEST, METHOD_NOT_FOUND, ProtocolError, errorFrame, parseFrame, protocolErrorFrame, resultFrame, type RpcRequest,
} from './codec.js';
import type { DocumentBudget } from './document-budget.js';
import { DocumentStore } from './document-store.js';
import type { BridgeEnv } from './method-def.js';

type MethodTable = typeof import('./methods.js');
let methodTable: MethodTable | undefined;
let loadingMethods: Promise<MethodTable> | undefined;

/**
 * The method table and its schemas (zod) load when the first page connects, not at start: an
 * idle daemon never needs them. Requests that arrive meanwhile wait for it, in order.
 */
export function loadMethods(): Promise<MethodTable> {
  return loadingMethods ??= import('./methods.js').then((m) => (methodTable = m));
}

/** Requests in flight per connection; one more is answered BUSY. */
export const MAX_PENDING_PER_CONNECTION = 16;

export class JsonRpcSession implements AdapterSession {
  private pending = 0;
  private readonly running = new Set<Promise<void>>();
  /** Uploads and signed results of this connection only; freed when it closes. */
  private readonly documents: DocumentStore;

  constructor(
    readonly peer: Peer, private readonly core: BridgeService, private readonly log: Logger, budget: DocumentBudget,
    private readonly onGone: () => void, private readonly daemon: BridgeEnv = { features: () => [] },
  ) {
    this.documents = new DocumentStore(budget, () => core.maxDocumentBytes);
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  onClose(): void {
    this.documents.clear();
    this.onGone();
  }

  async onFrame(text: string, isBinary: boolean): Promise<void> {
    let req: RpcRequest;
    try {
      if (isBinary) throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: text frames only');
      req = parseFrame(text);
    } catch (e) {
      const pe = e instanceof ProtocolError ? e : new ProtocolError(INVALID_REQUEST, 'Invalid Request');
      this.log.info({ conn: this.peer.id, origin: this.peer.origin, outcome: pe.rpcCode }, 'bad frame');
      this.peer.send(protocolErrorFrame(pe));
      return;
    }
    const job = this.handle(req).finally(() => this.running.delete(job));
    this.running.add(job);
    await job;
  }

  private async handle(req: RpcRequest): Promise<void> {
    const { peer } = this;
    const started = performance.now();
    const { METHODS, validateParams } = methodTable ?? await loadMethods();
    const method = Object.prototype.hasOwnProperty.call(METHODS, req.method) ? METHODS[req.method] : undefined;
    const reply = (frame: string) => { if (!req.notification) peer.send(frame); };
    const done = (outcome: string) => this.log.info({ conn: peer.id, origin: peer.origin, method: req.method, rid: req.id, ms: +(performance.now() - started).toFixed(2), outcome }, 'request');
    if (!method) {
      reply(protocolErrorFrame(new ProtocolError(METHOD_NOT_FOUND, `Method not found: ${req.method.slice(0, 64)}`, req.id)));
      done('METHOD_NOT_FOUND');
      return;
    }
    if (this.pending >= MAX_PENDING_PER_CONNECTION) {
      reply(errorFrame(req.id, new KysoError('BUSY'), peer.lang));
      done('BUSY');
      return;
    }
    this.pending++;
    try {
      const params = validateParams(method, req.params);
      const result = await method.run({ core: this.core, ctx: { origin: peer.origin, signal: peer.signal, lang: peer.lang }, documents: this.documents, daemon: this.daemon }, params);
      reply(resultFrame(req.id, result));
      done('ok');
    } catch (e) {
      const err = isKysoError(e) ? e : new KysoError('INTERNAL', {}, (e as Error)?.message);
      if (!isKysoError(e)) this.log.error({ conn: peer.id, method: req.method, err: (e as Error)?.stack }, 'internal error');
      reply(errorFrame(req.id, err, peer.lang));
      done(err.code);
    } finally {
      this.pending--;
    }
  }
}
