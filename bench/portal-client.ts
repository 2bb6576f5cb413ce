// The load side of `npm run bench:portal`: keep-alive HTTP JSON calls spread over the verifier
// processes, a fixed number in flight, each call's latency kept.
import { Agent, request } from 'node:http';

export interface Reply { status: number; json: any }

export class JsonClient {
  private readonly agent: Agent;
  constructor(readonly base: string, maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, value: unknown): Promise<Reply> {
    const body = JSON.stringify(value);
    return new Promise((resolve, reject) => {
      const req = request(this.base + path, {
        method: 'POST', agent: this.agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try { resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }); } catch (e) { reject(e); }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult<T> { results: T[]; ms: number[]; wallMs: number; errors: string[] }

/** Runs job(i) for i < n with `inflight` at a time; job i goes to clients[i % clients.length]. */
export async function load<T>(n: number, inflight: number, job: (i: number) => Promise<T>): Promise<LoadResult<T>> {
  const results: T[] = new Array(n);
  const ms: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inflight }, async () => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      try {
        results[i] = await job(i);
        ms.push(performance.now() - s);
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
  }));
  return { results, ms, wallMs: performance.now() - t0, errors };
}
