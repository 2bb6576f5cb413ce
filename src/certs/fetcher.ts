// HTTP GET/POST for AIA, OCSP and CRL with a hard timeout and a size cap. The fetch function
// is injectable so tests can point the fixed fixture URLs at an ephemeral loopback port.

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** OCSP answers must come within this (issue: 5 s). */
export const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_BYTES = 20 * 1024 * 1024;

export interface FetchOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  contentType?: string;
  accept?: string;
}

export class FetchError extends Error {
  constructor(readonly url: string, detail: string) {
    super(`${url}: ${detail}`);
    this.name = 'FetchError';
  }
}

export async function fetchBytes(url: string, opts: FetchOptions = {}): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchError(url, 'bad URL');
  }
  // CAs publish AIA/CRL/OCSP over plain HTTP (the data is signed); nothing else is fetched.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FetchError(url, 'only http(s) URLs are fetched');
  const doFetch = opts.fetch ?? ((u: string, i: RequestInit) => fetch(u, i));
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = {};
  if (opts.contentType) headers['content-type'] = opts.contentType;
  if (opts.accept) headers.accept = opts.accept;
  const signal = AbortSignal.timeout(timeoutMs);
  // The timeout covers the body too: a responder that sends headers then stalls is "slow".
  const work = (async () => {
    const res = await doFetch(url, { method: opts.method ?? 'GET', headers, body: opts.body ? new Uint8Array(opts.body) : undefined, signal, redirect: 'follow' });
    if (!res.ok) throw new FetchError(url, `HTTP ${res.status}`);
    const buf = new Uint8Array(await res.arrayBuffer());
    if (buf.byteLength > MAX_BYTES) throw new FetchError(url, 'response too large');
    return buf;
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FetchError(url, `timeout after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (e) {
    if (e instanceof FetchError) throw e;
    if (signal.aborted) throw new FetchError(url, `timeout after ${timeoutMs} ms`);
    throw new FetchError(url, (e as Error).message);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
