import { FEATURE_NAMES } from '@loupe/segmenter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector } from './harness.js';
import { heavyBuyer, type SegmentedCollector, startSegmentedCollector } from './segmented.js';

const ADMIN = 'admin-token-for-segment-admin';
const bearer = { Authorization: `Bearer ${ADMIN}` };

interface Overview {
  health: { status: string; reasons: string[]; lastRunAt: string | null };
  lastRun: Record<string, unknown> | null;
  segments: {
    id: string;
    name: string;
    size: number;
    centroid: number[];
    center: Record<string, number>;
    figures: Record<string, number>;
    health: { status: string; share: number; shareBefore: number | null; liveSize: number };
  }[];
  runs: { id: string; k: number; profiles: number }[];
}

describe('GET /v1/admin/segments and GET /dashboard', () => {
  let c: SegmentedCollector;
  beforeAll(async () => {
    c = await startSegmentedCollector({ adminToken: ADMIN, users: 120 });
  });
  afterAll(async () => c?.close());

  it('refuses both without the admin token or with a wrong one', async () => {
    for (const path of ['/v1/admin/segments', '/dashboard']) {
      expect((await fetch(`${c.url}${path}`)).status).toBe(401);
      expect((await fetch(`${c.url}${path}`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await fetch(`${c.url}${path}?token=wrong`)).status).toBe(401);
    }
  });

  it('lists the segments with sizes, centroids, health and the last run', async () => {
    const response = await fetch(`${c.url}/v1/admin/segments`, { headers: bearer });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Overview;
    expect(body.health).toMatchObject({ status: 'ok', lastRunAt: c.run.run.at });
    expect(body.lastRun).toMatchObject({
      id: c.run.run.id,
      k: 4,
      profiles: c.run.run.profiles,
      events: c.run.run.events,
    });
    expect(body.lastRun).not.toHaveProperty('model');
    expect(body.lastRun).not.toHaveProperty('histograms');
    expect(body.segments.map((s) => s.id).sort()).toEqual(c.run.segments.map((s) => s.id).sort());
    const total = c.run.segments.reduce((sum, s) => sum + s.size, 0);
    for (const s of body.segments) {
      const expected = c.run.segments.find((r) => r.id === s.id);
      expect(s.size).toBe(expected?.size);
      expect(s.centroid).toHaveLength(FEATURE_NAMES.length);
      expect(Object.keys(s.center).sort()).toEqual([...FEATURE_NAMES].sort());
      expect(s.health.share).toBeCloseTo((expected?.size ?? 0) / total, 10);
      expect(s.health.liveSize).toBe(expected?.size);
      expect(s.figures).toHaveProperty('conversionRate');
    }
    expect(body.runs.map((r) => r.id)).toEqual([c.run.run.id]);
  });

  it('counts live reassignments in the live sizes, and compares a second run with the first', async () => {
    const visitor = `admin-live-${Date.now()}`;
    let segment: string | undefined;
    for (const events of heavyBuyer(visitor, Date.now())) segment = (await c.batch(events)).segment?.id;
    await c.server.collector.drain();
    const live = (await (await fetch(`${c.url}/v1/admin/segments`, { headers: bearer })).json()) as Overview;
    const target = live.segments.find((s) => s.id === segment);
    expect(target?.health.liveSize).toBe((c.run.segments.find((s) => s.id === segment)?.size ?? 0) + 1);

    const second = await c.resegment();
    const after = (await (await fetch(`${c.url}/v1/admin/segments`, { headers: bearer })).json()) as Overview;
    expect(after.runs.map((r) => r.id)).toEqual([second.run.id, c.run.run.id]);
    expect(after.lastRun).toHaveProperty('drift.segmentPsi');
    expect(['ok', 'drift']).toContain(after.health.status);
    expect(after.segments.every((s) => s.health.shareBefore !== null)).toBe(true);
  });

  it('serves the dashboard as one self-contained page for ?token= and for Bearer', async () => {
    for (const init of [
      { url: `${c.url}/dashboard?token=${ADMIN}`, headers: {} },
      { url: `${c.url}/dashboard`, headers: bearer },
    ]) {
      const response = await fetch(init.url, { headers: init.headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await response.text();
      expect(html).not.toMatch(/<script|<link|src="http|href="http/i);
      expect(html).toContain('data-status=');
      for (const s of c.run.segments) {
        expect(html).toContain(`data-segment="${s.id}"`);
        expect(html).toContain(s.name);
      }
      expect(html).toMatch(/<h2 id="drift">Drift<\/h2>/);
      expect(html).toMatch(/<h2 id="funnel">Funnel<\/h2><svg/);
      for (const step of ['page', 'product', 'cart', 'checkout', 'order']) expect(html).toContain(`>${step}</text>`);
      expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(4);
    }
  });
});

describe('segment admin before any run', () => {
  it('reports no-run, and the dashboard says how to make one', async () => {
    const c = await startTestCollector({ adminToken: ADMIN });
    try {
      const body = (await (await fetch(`${c.url}/v1/admin/segments`, { headers: bearer })).json()) as Overview;
      expect(body).toMatchObject({ health: { status: 'no-run' }, lastRun: null, segments: [], runs: [] });
      const html = await (await fetch(`${c.url}/dashboard?token=${ADMIN}`)).text();
      expect(html).toContain('data-status="no-run"');
      expect(html).toContain('loupe segment');
    } finally {
      await c.close();
    }
  });
});
