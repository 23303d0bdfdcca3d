/** Why an event was not stored (or that it was): every event lands in exactly one outcome. */
export const EVENT_OUTCOMES = [
  'accepted',
  'duplicate',
  'invalid',
  'too_large',
  'no_consent',
  'suppressed',
  'unauthorized',
  'forbidden_origin',
  'rate_limited',
  'backlog_full',
  'storage_error',
  'request_too_large',
  'bad_request',
] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const COMMIT_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: number[]) {
    this.counts = new Array(buckets.length).fill(0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] as number)) (this.counts[i] as number)++;
    }
  }
  render(name: string, labels = ''): string[] {
    const sep = labels ? `${labels},` : '';
    const lines = this.buckets.map((b, i) => `${name}_bucket{${sep}le="${b}"} ${this.counts[i]}`);
    lines.push(`${name}_bucket{${sep}le="+Inf"} ${this.count}`);
    const suffix = labels ? `{${labels}}` : '';
    lines.push(`${name}_sum${suffix} ${this.sum}`, `${name}_count${suffix} ${this.count}`);
    return lines;
  }
}

export interface Metrics {
  countEvents(outcome: EventOutcome, n?: number): void;
  observeRequest(route: string, status: number, seconds: number): void;
  observeCommit(rows: number, ms: number): void;
  /** Prometheus text exposition format. */
  render(gauges: Record<string, number>): string;
  eventCount(outcome: EventOutcome): number;
}

export function createMetrics(): Metrics {
  const events = new Map<EventOutcome, number>(EVENT_OUTCOMES.map((o) => [o, 0]));
  const requests = new Map<string, number>();
  const latency = new Map<string, Histogram>();
  const commitRows = new Histogram(COMMIT_BUCKETS);
  const commitSeconds = new Histogram(LATENCY_BUCKETS_S);

  return {
    countEvents(outcome, n = 1) {
      events.set(outcome, (events.get(outcome) ?? 0) + n);
    },
    observeRequest(route, status, seconds) {
      const key = `route="${route}",status="${status}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      let h = latency.get(route);
      if (!h) latency.set(route, (h = new Histogram(LATENCY_BUCKETS_S)));
      h.observe(seconds);
    },
    observeCommit(rows, ms) {
      commitRows.observe(rows);
      commitSeconds.observe(ms / 1000);
    },
    eventCount(outcome) {
      return events.get(outcome) ?? 0;
    },
    render(gauges) {
      const out: string[] = [
        '# HELP loupe_events_total Events received, by outcome (everything but accepted was not stored).',
        '# TYPE loupe_events_total counter',
        ...[...events].map(([o, n]) => `loupe_events_total{outcome="${o}"} ${n}`),
        '# HELP loupe_http_requests_total HTTP requests by route and status.',
        '# TYPE loupe_http_requests_total counter',
        ...[...requests].map(([k, n]) => `loupe_http_requests_total{${k}} ${n}`),
        '# HELP loupe_http_request_duration_seconds Request latency by route.',
        '# TYPE loupe_http_request_duration_seconds histogram',
        ...[...latency].flatMap(([route, h]) => h.render('loupe_http_request_duration_seconds', `route="${route}"`)),
        '# HELP loupe_commit_rows Rows per group-commit transaction.',
        '# TYPE loupe_commit_rows histogram',
        ...commitRows.render('loupe_commit_rows'),
        '# HELP loupe_commit_duration_seconds Time per group-commit transaction.',
        '# TYPE loupe_commit_duration_seconds histogram',
        ...commitSeconds.render('loupe_commit_duration_seconds'),
      ];
      for (const [name, value] of Object.entries(gauges)) {
        out.push(`# TYPE ${name} gauge`, `${name} ${value}`);
      }
      return `${out.join('\n')}\n`;
    },
  };
}
