// signDocument for pages: small documents go inline; larger ones are uploaded in chunks
// (document.begin/put/end), signed by id, and the result read back with document.get. Every id
// is released afterwards, also on failure. Works with bytes or a Blob (a File from <input>).
import { INLINE_DOCUMENT_MAX_BYTES, INTERACTIVE_TIMEOUT_MS, TRANSFER_TIMEOUT_MS, UPLOAD_WINDOW } from './constants.js';
import { InvalidParamsError, UploadIncompleteError } from './errors.js';
import type { DocumentProgress, SignDocumentRequest, SignDocumentResult } from './types.js';

export type Caller = (method: string, params: unknown, timeoutMs: number) => Promise<unknown>;
export interface ProgressOptions { onProgress?: (p: DocumentProgress) => void }

const MEDIA_TYPES = { pades: 'application/pdf', xmldsig: 'application/xml', cms: 'application/octet-stream' } as const;

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  // In slices: String.fromCharCode with one argument per byte of a whole chunk would overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x2000) bin += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x2000)));
  return btoa(bin);
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!subtle) throw new InvalidParamsError('Trình duyệt không hỗ trợ SHA-256 (cần trang HTTPS). / SHA-256 needs a secure context (HTTPS).', { field: 'crypto.subtle' });
  const d = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function toBytes(input: Uint8Array | ArrayBuffer | Blob): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  throw new InvalidParamsError('Tài liệu phải là Uint8Array, ArrayBuffer hoặc Blob. / The document must be a Uint8Array, ArrayBuffer or Blob.', { field: 'document' });
}

/** The request as the bridge takes it (images in base64, no SDK-only keys). */
function params(req: SignDocumentRequest, source: { content: string } | { documentId: string }): Record<string, unknown> {
  const { mediaType: _m, options, ...rest } = req;
  void _m;
  const img = options?.pdf?.visible?.imagePng;
  const pdf = options?.pdf && {
    ...options.pdf,
    visible: options.pdf.visible && { ...options.pdf.visible, imagePng: img === undefined || typeof img === 'string' ? img : bytesToBase64(img instanceof Uint8Array ? img : new Uint8Array(img)) },
  };
  return { ...rest, source, ...(options ? { options: { ...options, ...(pdf ? { pdf } : {}) } } : {}) };
}

async function upload(call: Caller, bytes: Uint8Array, req: SignDocumentRequest, progress: (p: DocumentProgress) => void): Promise<string> {
  const begin = (await call('document.begin', {
    name: req.name, mediaType: req.mediaType ?? MEDIA_TYPES[req.format], size: bytes.length, sha256: await sha256Hex(bytes),
  }, INTERACTIVE_TIMEOUT_MS)) as { documentId: string; chunkSize: number };
  const { documentId, chunkSize } = begin;
  try {
    const inFlight: Promise<unknown>[] = [];
    let sent = 0;
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      const chunk = bytes.subarray(offset, offset + chunkSize);
      inFlight.push(call('document.put', { documentId, offset, data: bytesToBase64(chunk) }, TRANSFER_TIMEOUT_MS).then(() => {
        sent += chunk.length;
        progress({ phase: 'upload', loaded: sent, total: bytes.length });
      }));
      // The bridge takes chunks in order on one socket: a few in flight hide the round trips.
      if (inFlight.length >= UPLOAD_WINDOW) await inFlight.shift();
    }
    await Promise.all(inFlight);
    await call('document.end', { documentId }, TRANSFER_TIMEOUT_MS);
    return documentId;
  } catch (e) {
    await call('document.release', { documentId }, TRANSFER_TIMEOUT_MS).catch(() => undefined);
    throw e;
  }
}

async function download(call: Caller, documentId: string, size: number, chunk: number, progress: (p: DocumentProgress) => void): Promise<Uint8Array> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (;;) {
    const r = (await call('document.get', { documentId, offset, length: chunk }, TRANSFER_TIMEOUT_MS)) as { data: string; eof: boolean };
    const part = base64ToBytes(r.data);
    if (offset + part.length > size) throw new UploadIncompleteError(undefined, { reason: 'download-longer-than-size' });
    out.set(part, offset);
    offset += part.length;
    progress({ phase: 'download', loaded: offset, total: size });
    if (r.eof || part.length === 0) break;
  }
  if (offset !== size) throw new UploadIncompleteError(undefined, { reason: 'download-short', received: offset, size });
  return out;
}

interface WireResult { content?: string; documentId?: string; size: number; sha256: string; level: SignDocumentResult['level']; signer: SignDocumentResult['signer'] }

export async function signDocumentWith(call: Caller, input: Uint8Array | ArrayBuffer | Blob, req: SignDocumentRequest, opts: ProgressOptions = {}): Promise<SignDocumentResult> {
  if (!req || typeof req.name !== 'string' || !req.name || !req.format) {
    throw new InvalidParamsError('Thiếu tên hoặc định dạng tài liệu. / name and format are required.', { field: !req?.format ? 'format' : 'name' });
  }
  const progress = (p: DocumentProgress) => { try { opts.onProgress?.(p); } catch { /* a page's callback must not break signing */ } };
  const bytes = await toBytes(input);
  const inline = bytes.length <= INLINE_DOCUMENT_MAX_BYTES;
  const sourceId = inline ? undefined : await upload(call, bytes, req, progress);
  let r: WireResult;
  try {
    progress({ phase: 'sign', loaded: 0, total: bytes.length });
    r = (await call('sign.document', params(req, sourceId ? { documentId: sourceId } : { content: bytesToBase64(bytes) }), INTERACTIVE_TIMEOUT_MS)) as WireResult;
  } finally {
    if (sourceId) await call('document.release', { documentId: sourceId }, TRANSFER_TIMEOUT_MS).catch(() => undefined);
  }
  let content: Uint8Array;
  if (r.content !== undefined) content = base64ToBytes(r.content);
  else {
    try {
      content = await download(call, r.documentId!, r.size, INLINE_DOCUMENT_MAX_BYTES, progress);
    } finally {
      await call('document.release', { documentId: r.documentId }, TRANSFER_TIMEOUT_MS).catch(() => undefined);
    }
  }
  if ((await sha256Hex(content)) !== r.sha256) throw new UploadIncompleteError(undefined, { reason: 'download-sha256' });
  progress({ phase: 'done', loaded: content.length, total: content.length });
  return { content, size: r.size, sha256: r.sha256, level: r.level, signer: r.signer };
}
