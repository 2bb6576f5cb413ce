// What a listener needs from a protocol: our JSON-RPC API and each vendor plugin's
// protocol (VGCA, VNPT-CA, BkavCA). The listener owns the socket, TLS and the Host/Origin checks;
// the adapter owns the frames and maps them onto the one core (BridgeService).
import type { Lang } from '../i18n/messages.js';

/** One accepted WebSocket, as an adapter sees it. */
export interface Peer {
  readonly id: number;
  /** From the handshake's Origin header, normalised; never from a frame. */
  readonly origin: string;
  /** The URL path of the handshake (VGCA chooses its endpoint by path). */
  readonly path: string;
  readonly lang: Lang;
  /** Aborted when the socket closes: open dialogs of this peer are cancelled. */
  readonly signal: AbortSignal;
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

export interface AdapterSession {
  /** One frame (binary frames are refused by the protocols we speak); must never throw. */
  onFrame(text: string, isBinary: boolean): Promise<void>;
  /** Resolves when every request of this session has finished (shutdown grace). */
  drain(): Promise<void>;
  onClose(): void;
}

export interface ProtocolAdapter {
  readonly name: string;
  /**
   * 'many': requests on one socket until it closes (JSON-RPC, VNPT-CA); 'one': a single request
   * per socket, answered, then closed by the client (VGCA).
   */
  readonly mode: 'many' | 'one';
  readonly maxFrameBytes: number;
  acceptsPath(pathname: string): boolean;
  open(peer: Peer): AdapterSession;
}
