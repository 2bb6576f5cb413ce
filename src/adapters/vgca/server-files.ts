// The server-mediated VGCA calls (SignPDF, SignApproved, …): the service downloads the file the
// page names, signs it and uploads it to the page's handler. Only https URLs on the calling
// page's own origin: the page could fetch them itself, so the daemon reaches nothing the page
// could not. Redirects are followed only within that origin; bodies are capped.
import { KysoError } from '../../errors.js';
import { VGCA_STATUS, VgcaRefusal } from './codec.js';

/** Redirects followed within the page's origin. */
const MAX_REDIRECTS = 3;
/** A portal that does not answer in this time is given up on. */
export const SERVER_FILE_TIMEOUT_MS = 60_000;

function refuse(message: string): VgcaRefusal {
  return new VgcaRefusal(VGCA_STATUS.SERVER_FILE_REFUSED, message);
}

/** The URL if it is https on the page's origin, without credentials; else a clear refusal. */
export function sameOriginUrl(raw: string, origin: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    throw refuse(`${field} is not a URL`);
  }
  if (url.protocol !== 'https:') throw refuse(`${field} must be an https URL (kyso-bridge does not fetch ${url.protocol} URLs)`);
  if (url.origin !== origin) throw refuse(`${field} must be on the calling page's own origin ${origin}, not ${url.origin}`);
  if (url.username || url.password) throw refuse(`${field} must not carry credentials`);
  return url;
}

/** fetch without following redirects elsewhere: a Location off the origin is refused. */
async function fetchSameOrigin(url: URL, origin: string, init: RequestInit): Promise<Response> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(current, { ...init, redirect: 'manual' });
    } catch (e) {
      throw refuse(`${current.origin} did not answer (${(e as Error).message})`);
    }
    if (res.status < 300 || res.status >= 400) return res;
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (!location || hop >= MAX_REDIRECTS || init.method === 'POST') throw refuse(`${current.href} redirected (HTTP ${res.status}); not followed`);
    current = sameOriginUrl(location, origin, 'redirect');
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new KysoError('DOCUMENT_TOO_LARGE', { maxSize: maxBytes });
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const { done, value } = reader ? await reader.read() : { done: true as const, value: undefined };
    if (done || !value) break;
    size += value.length;
    if (size > maxBytes) {
      await reader!.cancel();
      throw new KysoError('DOCUMENT_TOO_LARGE', { maxSize: maxBytes });
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function authHeaders(jwt?: string | null): Record<string, string> {
  return jwt ? { Authorization: `Bearer ${jwt}` } : {};
}

export async function downloadFile(url: URL, origin: string, o: { maxBytes: number; jwt?: string | null; signal: AbortSignal }): Promise<Buffer> {
  const res = await fetchSameOrigin(url, origin, { method: 'GET', headers: authHeaders(o.jwt), signal: o.signal });
  if (!res.ok) {
    await res.body?.cancel();
    throw refuse(`downloading ${url.pathname} failed: HTTP ${res.status}`);
  }
  return readCapped(res, o.maxBytes);
}

export interface Upload {
  content: Buffer;
  fileName: string;
  sessionId?: string | null;
  jwt?: string | null;
  metaData?: unknown;
  signal: AbortSignal;
}

/**
 * multipart/form-data with the signed file (`file`), SessionId and MetaData (JSON); the
 * handler's answer is the `FileServer` portals show (or the file name when it answers nothing).
 */
export async function uploadFile(url: URL, origin: string, u: Upload): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(u.content)], { type: 'application/pdf' }), u.fileName);
  if (u.sessionId) form.append('SessionId', u.sessionId);
  if (u.metaData) form.append('MetaData', JSON.stringify(u.metaData));
  const res = await fetchSameOrigin(url, origin, { method: 'POST', body: form, headers: authHeaders(u.jwt), signal: u.signal });
  const body = (await readCapped(res, 64 * 1024)).toString('utf8').trim();
  if (!res.ok) throw refuse(`uploading to ${url.pathname} failed: HTTP ${res.status}`);
  try {
    const j = JSON.parse(body) as Record<string, unknown>;
    const named = j.FileServer ?? j.fileServer ?? j.url ?? j.Url;
    if (typeof named === 'string' && named) return named;
  } catch {
    // not JSON: the text itself names the stored file
  }
  return body.slice(0, 2048) || u.fileName;
}

/** The name shown in the consent dialog: the URL's last path segment. */
export function fileNameOf(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop() ?? 'document.pdf';
  try {
    return decodeURIComponent(last).slice(0, 200);
  } catch {
    return last.slice(0, 200);
  }
}
