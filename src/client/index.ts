// kyso-bridge/client: the browser SDK for "Đăng ký / Đăng nhập bằng USB ký số" and document signing.
//   const s = await KysoBridge.status();                  // is the bridge installed and running?
//   const token = await KysoBridge.authenticate(nonce);   // certificate → consent → PIN → proof
//   const signed = await KysoBridge.signDocument(file, { format: 'pades', name: file.name });
// No Node imports: runs in browsers, and in Node ≥ 20 with a global or injected WebSocket.
import { Connection, type WebSocketCtor } from './connection.js';
import { DEFAULT_URL, INFO_TIMEOUT_MS, INTERACTIVE_TIMEOUT_MS, NONCE_PATTERN, PROTOCOL_VERSION } from './constants.js';
import { InvalidParamsError, KysoBridgeError, PluginNotRunningError } from './errors.js';
import { signDocumentWith, type ProgressOptions } from './documents.js';
import type { AuthToken, BridgeInfo, BridgeStatus, Certificate, HashAlgorithm, SignDocumentRequest, SignDocumentResult, SignHashResult, Token } from './types.js';

export * from './errors.js';
export * from './constants.js';
export type * from './types.js';
export type { WebSocketLike, WebSocketCtor } from './connection.js';

export interface ClientOptions {
  /** Bridge endpoint; default wss://127.0.0.1:15976/v1. */
  url?: string;
  /** WebSocket implementation (e.g. `ws` in Node tests); default the global one. */
  WebSocket?: WebSocketCtor;
  /** Overrides the named default for this call. */
  timeoutMs?: number;
  /** Overrides CONNECT_TIMEOUT_MS (set through configure only). */
  connectTimeoutMs?: number;
}

const config: ClientOptions = { url: DEFAULT_URL };
/** One connection per WebSocket implementation and URL (a page has one of each; tests inject several). */
const connections = new Map<WebSocketCtor, Map<string, Connection>>();

/** Sets defaults for every later call (url, WebSocket implementation, connect timeout). */
export function configure(opts: ClientOptions): void {
  Object.assign(config, opts);
}

function connectionFor(opts: ClientOptions): Connection {
  const url = opts.url ?? config.url ?? DEFAULT_URL;
  const Ctor = opts.WebSocket ?? config.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
  if (!Ctor) throw new PluginNotRunningError('Môi trường này không có WebSocket. / No WebSocket implementation available.', { reason: 'no-websocket' });
  let byUrl = connections.get(Ctor);
  if (!byUrl) connections.set(Ctor, (byUrl = new Map()));
  let c = byUrl.get(url);
  if (!c) byUrl.set(url, (c = new Connection(url, Ctor, opts.connectTimeoutMs ?? config.connectTimeoutMs)));
  return c;
}

async function call<T>(method: string, params: unknown, defaultTimeout: number, opts: ClientOptions): Promise<T> {
  return (await connectionFor(opts).call(method, params, opts.timeoutMs ?? defaultTimeout)) as T;
}

/** Whether the bridge runs; never throws for "not running" (that is `{running: false}`). */
export async function status(opts: ClientOptions = {}): Promise<BridgeStatus> {
  const url = opts.url ?? config.url ?? DEFAULT_URL;
  try {
    const info = await call<BridgeInfo>('bridge.info', undefined, INFO_TIMEOUT_MS, opts);
    if (!info || info.name !== 'kyso-bridge') throw new PluginNotRunningError(undefined, { reason: 'not-kyso-bridge' });
    return { running: true, url, info, compatible: info.protocol === PROTOCOL_VERSION };
  } catch (e) {
    if (e instanceof PluginNotRunningError || (e instanceof KysoBridgeError && e.code === 'TIMEOUT')) return { running: false, url, error: e };
    throw e;
  }
}

export async function listTokens(opts: ClientOptions = {}): Promise<Token[]> {
  return (await call<{ tokens: Token[] }>('tokens.list', undefined, INTERACTIVE_TIMEOUT_MS, opts)).tokens;
}

/** Certificates on the plugged-in tokens, each with the bridge's validation status. */
export async function listCertificates(opts: ClientOptions & { tokenId?: string } = {}): Promise<Certificate[]> {
  const params = opts.tokenId ? { tokenId: opts.tokenId } : {};
  return (await call<{ certificates: Certificate[] }>('certificates.list', params, INTERACTIVE_TIMEOUT_MS, opts)).certificates;
}

/**
 * Registration/login proof over the portal's server challenge. Without certificateId the user
 * picks a certificate in the bridge's dialog; then the PIN. Send the result to the portal server.
 */
export async function authenticate(nonce: string, opts: ClientOptions & { certificateId?: string; audience?: 'person' | 'organization' | 'civil-servant' } = {}): Promise<AuthToken> {
  if (typeof nonce !== 'string' || !NONCE_PATTERN.test(nonce)) {
    throw new InvalidParamsError('Mã thử thách (nonce) không hợp lệ. / The nonce must be base64url, 43–128 characters.', { field: 'nonce' });
  }
  const params = { nonce, ...(opts.certificateId ? { certificateId: opts.certificateId } : {}), ...(opts.audience ? { audience: opts.audience } : {}) };
  return call<AuthToken>('auth.sign', params, INTERACTIVE_TIMEOUT_MS, opts);
}

const HASH_LENGTHS: Record<HashAlgorithm, number> = { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };

function toBase64(data: string | Uint8Array | ArrayBuffer): string {
  if (typeof data === 'string') return data;
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

/** Signs a digest the page computed (e.g. of a PDF's signed attributes). hash: base64 or bytes. */
export async function signHash(
  req: {
    certificateId: string;
    hash: string | Uint8Array | ArrayBuffer;
    hashAlgorithm: HashAlgorithm;
    /** RSA keys: PKCS#1 v1.5 (default) or PSS. */
    algorithm?: 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';
  },
  opts: ClientOptions = {},
): Promise<SignHashResult> {
  const want = HASH_LENGTHS[req.hashAlgorithm];
  const hash = toBase64(req.hash);
  let len = -1;
  try { len = atob(hash).length; } catch { /* not base64 */ }
  if (!want || len !== want || !req.certificateId) {
    throw new InvalidParamsError('Dữ liệu cần ký không hợp lệ. / The hash does not match its algorithm or certificateId is missing.', { field: 'hash' });
  }
  const params = { certificateId: req.certificateId, hash, hashAlgorithm: req.hashAlgorithm, ...(req.algorithm ? { algorithm: req.algorithm } : {}) };
  return call<SignHashResult>('sign.hash', params, INTERACTIVE_TIMEOUT_MS, opts);
}

/**
 * Signs a document the bridge reads and shows to the user (name, size, fingerprint, PDF pages or
 * e-invoice facts) before the PIN. Up to 45 KiB goes inline; larger documents are uploaded in
 * chunks and the result downloaded the same way (onProgress tells how far). Returns the signed
 * bytes. Errors are typed (DocumentInvalidError, DocumentTooLargeError, TsaUnavailableError…).
 */
export function signDocument(
  document: Uint8Array | ArrayBuffer | Blob,
  request: SignDocumentRequest & ClientOptions,
  progress: ProgressOptions = {},
): Promise<SignDocumentResult> {
  const { url, WebSocket, timeoutMs, connectTimeoutMs, ...req } = request;
  const opts: ClientOptions = { url, WebSocket, connectTimeoutMs };
  // One connection for the whole exchange: document ids belong to the socket that made them.
  const conn = connectionFor(opts);
  const caller = (method: string, params: unknown, t: number) => conn.call(method, params, method === 'sign.document' ? timeoutMs ?? t : t);
  return signDocumentWith(caller, document, req, progress);
}

/**
 * Calls cb with the token list whenever a token is plugged or removed (and after the bridge
 * comes back from a restart). Returns the function that stops listening.
 */
export function onTokensChanged(cb: (tokens: Token[]) => void, opts: ClientOptions = {}): () => void {
  const conn = connectionFor(opts);
  conn.onReconnect = () => {
    if (!conn.approved) return; // an unapproved origin would get a consent dialog out of nowhere
    // The socket is new: fetch the list so changes during the gap are not missed.
    conn.call('tokens.list', undefined, INTERACTIVE_TIMEOUT_MS)
      .then((r) => (r as { tokens: Token[] }).tokens && conn.emit('tokens.changed', r), () => undefined);
  };
  return conn.listen((method, params) => {
    if (method === 'tokens.changed') cb(((params as { tokens?: Token[] }) ?? {}).tokens ?? []);
  });
}

/** Closes every connection (tests, single-page-app teardown). */
export function disconnect(): void {
  for (const byUrl of connections.values()) for (const c of byUrl.values()) c.close();
  connections.clear();
}
