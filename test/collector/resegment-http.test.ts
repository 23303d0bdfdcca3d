import { expect, it } from 'vitest';
import { startResegmenting } from '../../packages/collector/src/cli/resegment.js';
import { simulateShoppers } from '../../packages/collector/src/cli/demo-data.js';
import { startTestCollector } from './harness.js';
import { pageAt } from './segmented.js';

const DAY = 86_400_000;

it('loupe serve re-segments on its schedule: the run is saved, read back at once, and logged with counts only', async () => {
  const c = await startTestCollector();
  try {
    await simulateShoppers({ url: c.url, writeKey: c.key.key, users: 80, days: 30, seed: 4 });
    await c.server.collector.drain();
    let now = Date.now();
    let fire: (() => void) | null = null;
    const logs: { msg: string; fields?: Record<string, unknown> }[] = [];
    const scheduler = startResegmenting(c.server, DAY, {
      k: 3,
      clock: () => new Date(now),
      timers: {
        setTimeout: (callback) => {
          fire = callback;
          return 1;
        },
        clearTimeout: () => {
          fire = null;
        },
      },
      logger: { log: (_level, msg, fields) => logs.push({ msg, ...(fields ? { fields } : {}) }) },
    });
    if (!scheduler) throw new Error('the SQLite store keeps segments: the schedule must start');
    const visitor = 'scheduled-visitor';
    expect(
      (await c
        .post('/v1/batch', { batch: [pageAt(visitor, now - 1000)], sentAt: new Date().toISOString() })
        .then((r) => r.json())) as object,
    ).not.toHaveProperty('segment');

    await new Promise((resolve) => setImmediate(resolve));
    expect(scheduler.nextAt()).toBe(now + DAY);
    now += DAY;
    (fire as unknown as () => void)();
    // The run happens in this process; wait for it like an operator would, by reading the store.
    while (!logs.some((l) => l.msg === 'resegment: done')) await new Promise((resolve) => setTimeout(resolve, 20));
    const done = logs.find((l) => l.msg === 'resegment: done');
    expect(Object.keys(done?.fields ?? {}).sort()).toEqual(['driftAlert', 'events', 'k', 'ms', 'profiles']);
    expect(JSON.stringify(logs)).not.toContain(visitor);
    expect(scheduler.nextAt()).toBe(now + DAY);

    // A shopper the scheduled run segmented gets that segment on their next batch answer.
    const member = c.db
      .prepare('SELECT segment_id, body FROM profiles WHERE segment_id IS NOT NULL AND run_id IS NOT NULL LIMIT 1')
      .get() as {
      segment_id: string;
      body: string;
    };
    const anonymousId = (JSON.parse(member.body) as { anonymousIds: string[] }).anonymousIds[0] as string;
    const answer = (await c
      .post('/v1/batch', { batch: [pageAt(anonymousId, Date.now())], sentAt: new Date().toISOString() })
      .then((r) => r.json())) as {
      segment: { id: string } | null;
    };
    expect(answer.segment?.id).toEqual(expect.any(String));
    scheduler.stop();
  } finally {
    await c.close();
  }
});

it('loupe serve --resegment-every 0 schedules nothing', async () => {
  const c = await startTestCollector();
  try {
    expect(startResegmenting(c.server, 0, { logger: { log() {} } })).toBeNull();
  } finally {
    await c.close();
  }
});
