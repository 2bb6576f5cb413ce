// Our own protocol (JSON-RPC 2.0 on /v1, docs/protocol.md) as a listener adapter: sessions per
// socket, and tokens.changed to every page whose origin holds the login grant.
import type { BridgeService } from '../../core/bridge-service.js';
import type { Logger } from '../../log.js';
import type { AdapterSession, Peer, ProtocolAdapter } from '../protocol-adapter.js';
import { notificationFrame } from './codec.js';
import { DocumentBudget } from './document-budget.js';
import { UPLOAD_BUDGET_DOCUMENTS } from './document-limits.js';
import type { BridgeEnv } from './method-def.js';
import { JsonRpcSession, loadMethods } from './session.js';

/** The WebSocket path of protocol version 1. */
export const API_PATH = '/v1';
/** Largest accepted frame; bigger ones close the connection with 1009 before any parsing. */
export const JSONRPC_MAX_FRAME_BYTES = 64 * 1024;

export class JsonRpcAdapter implements ProtocolAdapter {
  readonly name = 'kyso-bridge';
  readonly mode = 'many';
  readonly maxFrameBytes = JSONRPC_MAX_FRAME_BYTES;
  private readonly sessions = new Set<JsonRpcSession>();
  /** What all connections together may hold in uploaded documents. */
  private readonly budget: DocumentBudget;

  constructor(private readonly core: BridgeService, private readonly log: Logger, private readonly env: BridgeEnv = { features: () => [] }) {
    this.budget = new DocumentBudget(UPLOAD_BUDGET_DOCUMENTS * core.maxDocumentBytes);
    core.onTokensChanged((tokens) => {
      const frame = notificationFrame('tokens.changed', { tokens });
      // Checked per change, not per connection start: a revoke silences a page at once.
      for (const s of this.sessions) if (core.holds(s.peer.origin, 'login')) s.peer.send(frame);
    });
  }

  acceptsPath(pathname: string): boolean {
    return pathname === API_PATH;
  }

  open(peer: Peer): AdapterSession {
    // Start loading the method table now; the first frame waits for it (a failure shows there).
    loadMethods().catch(() => undefined);
    const session: JsonRpcSession = new JsonRpcSession(peer, this.core, this.log, this.budget, () => this.sessions.delete(session), this.env);
    this.sessions.add(session);
    return session;
  }
}
