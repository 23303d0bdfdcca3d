import { describe, expect, it } from 'vitest';
import { EVENT_OUTCOMES, createMetrics } from './metrics.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the Prometheus text exposition format (version 0.0.4): throws on any line it cannot read. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) {
      expect(line).toMatch(/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (!m) throw new Error(`bad TYPE line: ${line}`);
      expect(types.has(m[1] as string), `${m[1]} typed twice`).toBe(false);
      types.set(m[1] as string, m[2] as string);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (\S+)$/.exec(
      line,
    );
    if (!m) throw new Error(`bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] as string] = l[2] as string;
    const value = m[3] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (Number.isNaN(value)) throw new Error(`bad value: ${line}`);
    samples.push({ name: m[1] as string, labels, value });
  }
  return { types, samples };
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.get(base) === 'histogram' ? base : undefined;
}

describe('createMetrics', () => {
  it('renders text that parses as Prometheus exposition format, every sample in a typed family', () => {
    const metrics = createMetrics();
    metrics.countEvents('accepted', 20);
    metrics.countEvents('invalid');
    metrics.observeRequest('/v1/batch', 200, 0.003);
    metrics.observeRequest('/v1/batch', 400, 0.0004);
    metrics.observeRequest('/healthz', 200, 0.0001);
    metrics.observeCommit(120, 4.2);
    const { types, samples } = parsePrometheus(metrics.render({ loupe_write_backlog_rows: 7 }));
    for (const s of samples) expect(familyOf(s.name, types), s.name).toBeDefined();
    expect(samples.find((s) => s.name === 'loupe_write_backlog_rows')?.value).toBe(7);
  });

  it('counts every outcome, including zero for those that never happened', () => {
    const metrics = createMetrics();
    metrics.countEvents('accepted', 3);
    metrics.countEvents('too_large', 2);
    metrics.countEvents('too_large');
    const { samples } = parsePrometheus(metrics.render({}));
    const byOutcome = Object.fromEntries(
      samples.filter((s) => s.name === 'loupe_events_total').map((s) => [s.labels.outcome, s.value]),
    );
    expect(Object.keys(byOutcome).sort()).toEqual([...EVENT_OUTCOMES].sort());
    expect(byOutcome.accepted).toBe(3);
    expect(byOutcome.too_large).toBe(3);
    expect(byOutcome.rate_limited).toBe(0);
    expect(metrics.eventCount('too_large')).toBe(3);
  });

  it('keeps histogram buckets cumulative, with +Inf equal to the count', () => {
    const metrics = createMetrics();
    for (const s of [0.0005, 0.002, 0.002, 0.04, 3]) metrics.observeRequest('/v1/batch', 200, s);
    const { samples } = parsePrometheus(metrics.render({}));
    const buckets = samples.filter(
      (s) => s.name === 'loupe_http_request_duration_seconds_bucket' && s.labels.route === '/v1/batch',
    );
    for (let i = 1; i < buckets.length; i++)
      expect((buckets[i] as Sample).value).toBeGreaterThanOrEqual((buckets[i - 1] as Sample).value);
    const inf = buckets.find((b) => b.labels.le === '+Inf');
    const count = samples.find(
      (s) => s.name === 'loupe_http_request_duration_seconds_count' && s.labels.route === '/v1/batch',
    );
    expect(inf?.value).toBe(5);
    expect(count?.value).toBe(5);
    expect(buckets.find((b) => b.labels.le === '0.001')?.value).toBe(1);
    expect(buckets.find((b) => b.labels.le === '2.5')?.value).toBe(4);
  });

  it('counts requests by route and status', () => {
    const metrics = createMetrics();
    metrics.observeRequest('/v1/batch', 200, 0.001);
    metrics.observeRequest('/v1/batch', 200, 0.001);
    metrics.observeRequest('/v1/batch', 413, 0.001);
    const { samples } = parsePrometheus(metrics.render({}));
    const requests = samples.filter((s) => s.name === 'loupe_http_requests_total');
    expect(requests.find((s) => s.labels.status === '200')?.value).toBe(2);
    expect(requests.find((s) => s.labels.status === '413')?.value).toBe(1);
  });
});
