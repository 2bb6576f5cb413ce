// Load through the JSON-RPC API: sequential `sign.hash` round trips over one connection, and many
// in flight over several connections. Every signature can be checked with node:crypto afterwards.
import { createHash, randomBytes, verify, type KeyObject } from 'node:crypto';
import { RpcClient } from '../test/support/rpc-client.js';

export interface BenchCert { key: string; id: string; publicKey: KeyObject; ec: boolean }
export interface Signed { cert: BenchCert; data: Buffer; signature: Buffer }

export interface SeqResult { ms: number[]; errors: string[]; signed: Signed[] }
export interface ParResult { ms: number; signs: number; errors: string[]; signed: Signed[] }

function request(cert: BenchCert): { data: Buffer; params: Record<string, string> } {
  const data = randomBytes(24);
  return { data, params: { certificateId: cert.id, hash: createHash('sha256').update(data).digest('base64'), hashAlgorithm: 'SHA-256' } };
}

function errorText(r: { error?: { message: string; data?: { code: string } } }): string {
  return `${r.error?.data?.code ?? r.error?.message}`;
}

/** n sequential round trips; keeps every `keepEvery`-th signature for verification. */
export async function sequential(c: RpcClient, cert: BenchCert, n: number, keepEvery = 10): Promise<SeqResult> {
  const reqs = Array.from({ length: n }, () => request(cert));
  const out: SeqResult = { ms: [], errors: [], signed: [] };
  for (let i = 0; i < n; i++) {
    const { data, params } = reqs[i];
    const t0 = performance.now();
    let r;
    try { r = await c.call('sign.hash', params); } catch (e) { out.errors.push((e as Error).message); continue; }
    const dt = performance.now() - t0;
    if (r.error) { out.errors.push(errorText(r)); continue; }
    out.ms.push(dt);
    if (i % keepEvery === 0) out.signed.push({ cert, data, signature: Buffer.from((r.result as { signature: string }).signature, 'base64') });
  }
  return out;
}

/** n sequential round trips of a method that does no token work: the transport + JSON-RPC floor. */
export async function sequentialPing(c: RpcClient, n: number): Promise<{ ms: number[]; errors: string[] }> {
  const out = { ms: [] as number[], errors: [] as string[] };
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await c.call('bridge.info');
    const dt = performance.now() - t0;
    if (r.error) out.errors.push(errorText(r)); else out.ms.push(dt);
  }
  return out;
}

/** `total` bridge.info calls, `inflight` at a time over the clients: the transport's share of a parallel sign. */
export async function parallelPing(clients: RpcClient[], inflight: number, total: number): Promise<{ ms: number; calls: number; errors: number }> {
  let left = total;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inflight }, async (_, i) => {
    const client = clients[i % clients.length];
    while (left-- > 0) {
      const r = await client.call('bridge.info').catch(() => ({ error: true }));
      if (r.error) errors++;
    }
  }));
  return { ms: performance.now() - t0, calls: total, errors };
}

/**
 * `inflight` lanes; lane i signs with certs[i % certs.length] over clients[floor(i / certs.length) % clients.length]
 * until `perCert` signs were made with each certificate. Same shape as the raw worker's `par`.
 */
export async function parallel(clients: RpcClient[], certs: BenchCert[], inflight: number, perCert: number): Promise<ParResult> {
  const left = new Map(certs.map((c) => [c.key, perCert]));
  const reqs = new Map(certs.map((c) => [c.key, Array.from({ length: perCert }, () => request(c))]));
  const out: ParResult = { ms: 0, signs: 0, errors: [], signed: [] };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inflight }, async (_, i) => {
    const cert = certs[i % certs.length];
    const client = clients[Math.floor(i / certs.length) % clients.length];
    for (;;) {
      const n = left.get(cert.key)!;
      if (n <= 0) return;
      left.set(cert.key, n - 1);
      const { data, params } = reqs.get(cert.key)![n - 1];
      try {
        const r = await client.call('sign.hash', params);
        if (r.error) { out.errors.push(errorText(r)); continue; }
        out.signs++;
        out.signed.push({ cert, data, signature: Buffer.from((r.result as { signature: string }).signature, 'base64') });
      } catch (e) {
        out.errors.push((e as Error).message);
      }
    }
  }));
  out.ms = performance.now() - t0;
  return out;
}

/** RSA: PKCS#1 v1.5 over SHA-256; EC: raw r‖s (what PKCS#11 CKM_ECDSA returns). */
export function verifySigned(s: Signed): boolean {
  try {
    return s.cert.ec
      ? verify('sha256', s.data, { key: s.cert.publicKey, dsaEncoding: 'ieee-p1363' }, s.signature)
      : verify('sha256', s.data, s.cert.publicKey, s.signature);
  } catch {
    return false;
  }
}
