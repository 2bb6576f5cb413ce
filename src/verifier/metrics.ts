// Prometheus text exposition (version 0.0.4), written by hand: a few counters and histograms.
// Label values are route names and result codes, never anything from a request.

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type Labels = Record<string, string>;
const labelText = (l: Labels) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelText(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string[] {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`, ...[...this.values].map(([k, v]) => `${this.name}${k} ${v}`)];
  }
}

class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string) {}
  observe(labels: Labels, seconds: number): void {
    const k = labelText(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { labels, counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) s.counts[i]++;
    s.sum += seconds;
    s.count++;
  }
  render(): string[] {
    const out = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      BUCKETS.forEach((b, i) => out.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`));
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`, `${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

export class VerifierMetrics {
  readonly requests = new Counter('kyso_verifier_requests_total', 'HTTP requests by route and status.');
  readonly requestSeconds = new Histogram('kyso_verifier_request_duration_seconds', 'HTTP request duration by route.');
  readonly verifications = new Counter('kyso_verifier_verifications_total', 'Proof verifications by result (ok or the refusal code).');
  readonly challenges = new Counter('kyso_verifier_challenges_total', 'Challenges issued.');
  readonly storeSeconds = new Histogram('kyso_verifier_store_operation_seconds', 'Challenge store latency by operation.');
  readonly storeErrors = new Counter('kyso_verifier_store_errors_total', 'Challenge store calls that failed, by operation.');

  render(extra: { verdictHits: number; verdictMisses: number }): string {
    const gauge = (name: string, help: string, v: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${v}`];
    return [
      ...this.requests.render(), ...this.requestSeconds.render(), ...this.verifications.render(), ...this.challenges.render(),
      ...this.storeSeconds.render(), ...this.storeErrors.render(),
      ...gauge('kyso_verifier_verdict_cache_hits_total', 'Certificate verdicts reused from the cache.', extra.verdictHits),
      ...gauge('kyso_verifier_verdict_cache_misses_total', 'Certificate verdicts computed.', extra.verdictMisses),
    ].join('\n') + '\n';
  }
}
