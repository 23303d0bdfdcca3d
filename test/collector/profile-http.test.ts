import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth, SHOP } from './harness.js';
import { heavyBuyer, pageAt, type SegmentedCollector, startSegmentedCollector } from './segmented.js';

const ADMIN = 'admin-token-for-profile-tests';

describe('GET /v1/profile and live assignment over HTTP', () => {
  let c: SegmentedCollector;
  let known: { anonymousId: string; userId: string | null; segmentId: string };

  beforeAll(async () => {
    c = await startSegmentedCollector({ adminToken: ADMIN });
    const member = c.run.profiles.find((p) => p.segmentId !== null && p.userId !== null && p.rfm !== null);
    if (!member?.segmentId) throw new Error('the run put nobody with a user id and orders in a segment');
    known = { anonymousId: member.anonymousIds[0] as string, userId: member.userId, segmentId: member.segmentId };
  });
  afterAll(async () => c?.close());

  it('answers only anonymousId, userId, segment and rfm for a segmented visitor (Basic auth)', async () => {
    const response = await c.profile(known.anonymousId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['anonymousId', 'rfm', 'segment', 'userId']);
    expect(body.anonymousId).toBe(known.anonymousId);
    expect(body.userId).toBe(known.userId);
    const segment = body.segment as { id: string; name: string; since: string };
    expect(Object.keys(segment).sort()).toEqual(['id', 'name', 'since']);
    expect(segment.id).toBe(known.segmentId);
    expect(segment.name).toBe(c.run.segments.find((s) => s.id === known.segmentId)?.name);
    expect(body.rfm).toMatchObject({ r: expect.any(Number), f: expect.any(Number), m: expect.any(Number) });
  });

  it('takes the write key as the writeKey query parameter', async () => {
    const response = await c.profile(known.anonymousId, { query: true });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { segment: { id: string } }).segment.id).toBe(known.segmentId);
  });

  it('answers a visitor it does not know with the segment their first page view will get, and nothing else', async () => {
    const response = await c.profile('never-seen');
    const body = (await response.json()) as { segment: { id: string; name: string } };
    expect(Object.keys(body).sort()).toEqual(['anonymousId', 'segment']);
    expect(Object.keys(body.segment).sort()).toEqual(['id', 'name']);
    // The page's first batch answer agrees, so the content does not switch on first contact.
    const first = await c.batch([pageAt('never-seen', Date.now())]);
    expect(first.segment).toMatchObject({ id: body.segment.id, name: body.segment.name });
  });

  it('answers 401 without a write key and with an unknown one', async () => {
    const none = await fetch(`${c.url}/v1/profile?anonymousId=${known.anonymousId}`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('missing_write_key');
    const unknown = await fetch(`${c.url}/v1/profile?anonymousId=${known.anonymousId}`, {
      headers: { Authorization: basicAuth('wk_nope') },
    });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_write_key');
  });

  it("answers CORS headers to the key's origins and 403 to other origins", async () => {
    const allowed = await c.profile(known.anonymousId, { origin: SHOP, query: true });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(allowed.headers.get('vary')).toContain('Origin');

    const preflight = await fetch(`${c.url}/v1/profile?anonymousId=x`, {
      method: 'OPTIONS',
      headers: {
        Origin: SHOP,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);

    const other = await c.profile(known.anonymousId, { origin: 'https://evil.example', query: true });
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 304 to If-None-Match with the current ETag, and a new ETag once the segment changes', async () => {
    const visitor = `etag-${Date.now()}`;
    await c.batch([pageAt(visitor, Date.now() - 60_000)]);
    const first = await c.profile(visitor);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const before = (await first.json()) as { segment: { id: string } };

    const again = await c.profile(visitor, { headers: { 'If-None-Match': etag as string } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');

    for (const events of heavyBuyer(visitor, Date.now())) await c.batch(events);
    const changed = await c.profile(visitor, { headers: { 'If-None-Match': etag as string } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as { segment: { id: string } }).segment.id).not.toBe(before.segment.id);
  });

  it('serves no segment without personalization consent when the key requires consent', async () => {
    const strict = await c.createKey({ name: 'strict', origins: [SHOP], requireConsent: true });
    const visitor = `consent-${Date.now()}`;
    const answer = await c.batch([pageAt(visitor, Date.now() - 1000)], { key: strict });
    expect(answer.accepted).toBe(1);
    // No consent record yet: the page learns nothing, on the batch answer or the profile.
    expect(answer.segment).toBeNull();
    expect(await (await c.profile(visitor, { key: strict })).json()).toEqual({ anonymousId: visitor, segment: null });

    const record = (personalization: boolean) =>
      fetch(`${c.url}/v1/consent`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(strict.key) },
        body: JSON.stringify({
          anonymousId: visitor,
          categories: { analytics: true, personalization, marketing: false },
          source: 'banner',
          policyVersion: '2026-01',
          timestamp: new Date().toISOString(),
        }),
      });
    expect((await record(false)).status).toBeLessThan(300);
    expect(((await (await c.profile(visitor, { key: strict })).json()) as { segment: unknown }).segment).toBeNull();

    expect((await record(true)).status).toBeLessThan(300);
    const granted = (await (await c.profile(visitor, { key: strict })).json()) as { segment: { id: string } | null };
    expect(granted.segment?.id).toEqual(expect.any(String));
  });

  it('carries the segment on every /v1/batch answer and reassigns a visitor whose behavior changes within the next answer', async () => {
    const visitor = `live-${Date.now()}`;
    const first = await c.batch([pageAt(visitor, Date.now() - 120_000)]);
    expect(first.status).toBe(200);
    expect(first.segment).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    const newcomer = first.segment?.id;
    expect((await (await c.profile(visitor)).json()) as unknown).toMatchObject({ segment: { id: newcomer } });

    const batches = heavyBuyer(visitor, Date.now());
    let last: Awaited<ReturnType<SegmentedCollector['batch']>> | undefined;
    for (const events of batches) last = await c.batch(events);
    expect(last?.segment?.id).toBeDefined();
    expect(last?.segment?.id).not.toBe(newcomer);
    // The read-back agrees with the batch answer at once (same process) …
    const read = (await (await c.profile(visitor)).json()) as { segment: { id: string; since: string } };
    expect(read.segment.id).toBe(last?.segment?.id);
    // … and the store agrees once the write-behind ran (what another collector process reads).
    await c.server.collector.drain();
    const row = c.db.prepare('SELECT segment_id FROM profiles WHERE key = ?').get(`a:${visitor}`) as {
      segment_id: string;
    };
    expect(row.segment_id).toBe(read.segment.id);
  });

  it('keeps a reassigned visitor in place across a new `loupe segment` run and keeps answering', async () => {
    const visitor = `rerun-${Date.now()}`;
    for (const events of heavyBuyer(visitor, Date.now())) await c.batch(events);
    await c.server.collector.drain();
    const before = ((await (await c.profile(visitor)).json()) as { segment: { id: string } }).segment.id;
    const run = await c.resegment();
    expect(run.profiles.some((p) => p.anonymousIds.includes(visitor))).toBe(true);
    const after = (await (await c.profile(visitor)).json()) as { segment: { id: string } };
    expect(after.segment.id).toBe(run.profiles.find((p) => p.anonymousIds.includes(visitor))?.segmentId);
    expect(typeof before).toBe('string');
    const next = await c.batch([pageAt(visitor, Date.now())]);
    expect(next.segment?.id).toBe(after.segment.id);
  });

  describe('subject rights', () => {
    const admin = { Authorization: `Bearer ${ADMIN}` };

    it('exports the profile of every linked id and erases it with the events', async () => {
      const anon = `erase-anon-${Date.now()}`;
      const other = `erase-other-${Date.now()}`;
      const userId = `erase-user-${Date.now()}`;
      await c.batch([pageAt(anon, Date.now() - 5000)]);
      await c.batch([
        pageAt(anon, Date.now() - 4000, { type: 'identify', name: undefined, userId, traits: { plan: 'pro' } }),
      ]);
      for (const events of heavyBuyer(other, Date.now(), { userId })) await c.batch(events);
      await c.server.collector.drain();

      const exported = (await (await fetch(`${c.url}/v1/admin/users/${userId}/export`, { headers: admin })).json()) as {
        linkedIds: string[];
        profiles: { key: string; userId: string; anonymousIds: string[]; segmentId: string | null; features: object }[];
      };
      expect(exported.linkedIds).toEqual(expect.arrayContaining([anon, userId]));
      expect(exported.profiles.length).toBeGreaterThanOrEqual(1);
      expect(exported.profiles.flatMap((p) => p.anonymousIds)).toEqual(expect.arrayContaining([anon, other]));
      expect(exported.profiles.some((p) => p.userId === userId && p.segmentId !== null)).toBe(true);

      const erased = await fetch(`${c.url}/v1/admin/users/${anon}`, { method: 'DELETE', headers: admin });
      expect(erased.status).toBe(200);
      const report = (await erased.json()) as { deleted: Record<string, number> };
      expect(report.deleted.profiles).toBeGreaterThanOrEqual(1);

      // Nothing of theirs is left: they read back as a visitor never seen (no user id, no rfm, no since).
      const stranger = (await (await c.profile(`stranger-${Date.now()}`)).json()) as { segment: unknown };
      for (const id of [anon, other]) {
        expect(await (await c.profile(id)).json()).toEqual({ anonymousId: id, segment: stranger.segment });
      }
      await c.server.collector.drain();
      const left = c.db
        .prepare('SELECT count(*) AS n FROM profile_ids WHERE id IN (?, ?, ?)')
        .get(anon, other, userId) as { n: number };
      expect(left.n).toBe(0);
      const profiles = c.db
        .prepare('SELECT count(*) AS n FROM profiles WHERE user_id = ? OR body LIKE ? OR body LIKE ?')
        .get(userId, `%${anon}%`, `%${other}%`) as { n: number };
      expect(profiles.n).toBe(0);
      const again = (await (await fetch(`${c.url}/v1/admin/users/${userId}/export`, { headers: admin })).json()) as {
        profiles: unknown[];
      };
      expect(again.profiles).toEqual([]);
    });
  });
});

describe('GET /v1/profile before any segmentation run', () => {
  it('answers segment null and batch answers carry no segment field', async () => {
    const { startTestCollector } = await import('./harness.js');
    const c = await startTestCollector();
    try {
      const response = await c.post('/v1/batch', {
        batch: [pageAt('early', Date.now())],
        sentAt: new Date().toISOString(),
      });
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.accepted).toBe(1);
      expect('segment' in body).toBe(false);
      const profile = await fetch(`${c.url}/v1/profile?anonymousId=early&writeKey=${c.key.key}`);
      expect(await profile.json()).toEqual({ anonymousId: 'early', segment: null });
    } finally {
      await c.close();
    }
  });
});
