// JSON-RPC 2.0 framing: parse a text frame into a request or a protocol error, and build
// responses. Application errors carry the bridge's code in error.data.code.
import { KysoError, type ErrorCode } from '../../errors.js';
import type { Lang } from '../../i18n/messages.js';

export type RpcId = string | number | null;

export interface RpcRequest {
  id: RpcId;
  /** No id member: a notification, which gets no answer. */
  notification: boolean;
  method: string;
  params: unknown;
}

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** Server-error range codes, one per bridge error, so clients can switch on either. */
const APP_CODES: Record<ErrorCode, number> = {
  ORIGIN_NOT_ALLOWED: -32001, USER_CANCELLED: -32002, PIN_INCORRECT: -32003, PIN_LOCKED: -32004,
  TOKEN_NOT_PRESENT: -32005, TOKEN_REMOVED: -32006, CERTIFICATE_NOT_FOUND: -32007, CERTIFICATE_INVALID: -32008,
  INVALID_PARAMS: INVALID_PARAMS, BUSY: -32009, TIMEOUT: -32010, DRIVER_ERROR: -32011, INTERNAL: INTERNAL_ERROR,
  PIN_LEN_RANGE: -32012, KEY_NOT_FOUND: -32013, MECHANISM_INVALID: -32014,
  DOCUMENT_INVALID: -32015, DOCUMENT_TOO_LARGE: -32016, DOCUMENT_NOT_FOUND: -32017, UPLOAD_INCOMPLETE: -32018,
  TSA_UNAVAILABLE: -32019, REVOCATION_UNAVAILABLE: -32020, BRIDGE_STOPPED: -32021,
};

export class ProtocolError extends Error {
  constructor(readonly rpcCode: number, message: string, readonly id: RpcId = null) {
    super(message);
  }
}

export function parseFrame(text: string): RpcRequest {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    throw new ProtocolError(PARSE_ERROR, 'Parse error: the frame is not JSON');
  }
  if (Array.isArray(msg)) throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: batches are not supported');
  if (!msg || typeof msg !== 'object') throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: expected an object');
  const m = msg as Record<string, unknown>;
  const hasId = Object.prototype.hasOwnProperty.call(m, 'id');
  const id = m.id;
  const idOk = !hasId || id === null || typeof id === 'string' && id.length <= 128 || typeof id === 'number' && Number.isFinite(id);
  const safeId: RpcId = idOk && hasId ? (id as RpcId) : null;
  if (m.jsonrpc !== '2.0') throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: jsonrpc must be "2.0"', safeId);
  if (!idOk) throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: id must be a string, number or null');
  if (typeof m.method !== 'string' || m.method.length === 0 || m.method.length > 64) {
    throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: method must be a string', safeId);
  }
  if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null)) {
    throw new ProtocolError(INVALID_REQUEST, 'Invalid Request: params must be an object or array', safeId);
  }
  return { id: safeId, notification: !hasId, method: m.method, params: m.params };
}

export function resultFrame(id: RpcId, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

export function protocolErrorFrame(e: ProtocolError): string {
  return JSON.stringify({ jsonrpc: '2.0', id: e.id, error: { code: e.rpcCode, message: e.message } });
}

export function notificationFrame(method: string, params: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method, params });
}

/** A bridge error as JSON-RPC: message in the caller's language, the code and details in data. */
export function errorFrame(id: RpcId, e: KysoError, lang: Lang): string {
  const { ckr: _ckr, ...data } = e.data;
  void _ckr;
  // Bad input names the field, so a portal developer sees what to fix.
  const message = e.code === 'INVALID_PARAMS' && e.detail ? `${e.localized(lang)} (${e.detail})` : e.localized(lang);
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: APP_CODES[e.code] ?? INTERNAL_ERROR, message, data: { code: e.code, ...data } } });
}
