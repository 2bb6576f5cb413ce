// Wraps a challenge store so every call is timed and every failure counted, for /metrics.
import type { ChallengeStore } from '../portal/store.js';
import type { VerifierMetrics } from './metrics.js';

const OPS = ['add', 'forSession', 'consume', 'isTokenUsed', 'markTokenUsed', 'ping'] as const;

export function timedStore(store: ChallengeStore, metrics: VerifierMetrics): ChallengeStore {
  const timed: ChallengeStore = Object.create(store);
  for (const op of OPS) {
    const fn = store[op] as ((...a: unknown[]) => unknown) | undefined;
    if (!fn) continue;
    (timed as unknown as Record<string, unknown>)[op] = async (...args: unknown[]) => {
      const t0 = performance.now();
      try {
        return await fn.apply(store, args);
      } catch (e) {
        metrics.storeErrors.inc({ op });
        throw e;
      } finally {
        metrics.storeSeconds.observe({ op }, (performance.now() - t0) / 1000);
      }
    };
  }
  return timed;
}
