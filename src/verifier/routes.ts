// The service's routes. Each returns [status, JSON body] or throws an HttpProblem; the server
// turns anything else into 500. Nothing here logs a nonce, a token or a session id.
import type { IncomingMessage } from 'node:http';
import { AuthVerificationError, StoreUnavailableError } from '../portal/errors.js';
import type { PortalVerifier } from '../portal/portal-verifier.js';
import { readJsonBody } from './body.js';
import type { VerifierMetrics } from './metrics.js';
import { HttpProblem } from './problem.js';
import { acceptedJson, refusedJson } from './responses.js';
import { ChallengeRequest, parseBody, VerifyRequest } from './schemas.js';

export type Reply = [status: number, body: unknown, contentType?: string];

export interface RouteContext {
  verifier: PortalVerifier;
  metrics: VerifierMetrics;
  /** How long /healthz waits for the store. */
  healthTimeoutMs: number;
}

export const ROUTES: Record<string, { method: string; handle: (ctx: RouteContext, req: IncomingMessage) => Promise<Reply> }> = {
  '/v1/challenges': { method: 'POST', handle: challenges },
  '/v1/verify': { method: 'POST', handle: verify },
  '/healthz': { method: 'GET', handle: healthz },
  '/metrics': { method: 'GET', handle: metrics },
};

const storeDown = () => new HttpProblem(503, 'STORE_UNAVAILABLE');

async function challenges(ctx: RouteContext, req: IncomingMessage): Promise<Reply> {
  const body = parseBody(ChallengeRequest, await readJsonBody(req));
  if (body instanceof HttpProblem) throw body;
  try {
    const c = await ctx.verifier.challenge(body.sessionId);
    ctx.metrics.challenges.inc();
    return [200, { nonce: c.nonce, expiresAt: new Date(c.expiresAt).toISOString() }];
  } catch (e) {
    if (e instanceof StoreUnavailableError) throw storeDown();
    throw e;
  }
}

async function verify(ctx: RouteContext, req: IncomingMessage): Promise<Reply> {
  const body = parseBody(VerifyRequest, await readJsonBody(req));
  if (body instanceof HttpProblem) throw body;
  try {
    const who = await ctx.verifier.verify(body.sessionId, body.token);
    ctx.metrics.verifications.inc({ result: 'ok' });
    return [200, acceptedJson(who)];
  } catch (e) {
    if (e instanceof AuthVerificationError) {
      ctx.metrics.verifications.inc({ result: String(e.code) });
      return [200, refusedJson(e)];
    }
    if (e instanceof StoreUnavailableError) {
      ctx.metrics.verifications.inc({ result: 'STORE_UNAVAILABLE' });
      throw storeDown();
    }
    throw e;
  }
}

async function healthz(ctx: RouteContext): Promise<Reply> {
  const store = ctx.verifier.store;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve(store.ping?.()),
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout')), ctx.healthTimeoutMs); }),
    ]);
    return [200, { ok: true, store: 'up' }];
  } catch {
    throw storeDown();
  } finally {
    clearTimeout(timer);
  }
}

async function metrics(ctx: RouteContext): Promise<Reply> {
  const v = ctx.verifier.verdicts;
  return [200, ctx.metrics.render({ verdictHits: v.hits, verdictMisses: v.misses }), 'text/plain; version=0.0.4; charset=utf-8'];
}
