import type { LoupeEvent } from '@loupe/schema';
import { describe, expect, it } from 'vitest';
import { runSegmentation } from './pipeline.js';
import { simulate } from './simulate/simulate.js';
import { createMemorySegmentStore } from './testing/memory-segment-store.js';
import { createMemorySource } from './testing/memory-source.js';

const sim = simulate({ users: 600, days: 60, seed: 21 });

async function segmentInto(
  store: ReturnType<typeof createMemorySegmentStore>,
  events: readonly LoupeEvent[],
  now: string,
) {
  const result = await runSegmentation(createMemorySource(events), {
    asOf: sim.end,
    now,
    previous: await store.latestRun(),
  });
  await store.saveSegmentation(result);
  return result;
}

const segmentOf = (result: Awaited<ReturnType<typeof segmentInto>>) =>
  new Map(result.profiles.map((p) => [p.key, p.segmentId]));

describe('stability across runs', () => {
  it('gives identical output for the same seed and input', async () => {
    const a = await runSegmentation(createMemorySource(sim.events), { asOf: sim.end });
    const b = await runSegmentation(createMemorySource(sim.events), { asOf: sim.end });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }, 120_000);

  it('keeps every person in the same segment id on unchanged data, and their since', async () => {
    const store = createMemorySegmentStore();
    const first = await segmentInto(store, sim.events, '2024-03-01T00:00:00.000Z');
    const sinceBefore = new Map(store.profiles().map((p) => [p.key, p.segmentSince]));
    const second = await segmentInto(store, sim.events, '2024-03-02T00:00:00.000Z');
    expect(second.segments.map((s) => [s.id, s.name]).sort()).toEqual(first.segments.map((s) => [s.id, s.name]).sort());
    const before = segmentOf(first);
    for (const [key, segment] of segmentOf(second)) expect(segment).toBe(before.get(key));
    for (const p of store.profiles()) if (p.segmentId) expect(p.segmentSince).toBe(sinceBefore.get(p.key));
  }, 120_000);

  it('keeps at least 98 % of people in their segment when 5 % new people arrive', async () => {
    const store = createMemorySegmentStore();
    const first = await segmentInto(store, sim.events, '2024-03-01T00:00:00.000Z');
    // Newcomers: 5 % more people from another seed, with ids of their own.
    const extra = simulate({ users: 30, days: 60, seed: 99 }).events;
    const second = await segmentInto(store, [...sim.events, ...extra], '2024-03-02T00:00:00.000Z');
    const before = segmentOf(first);
    const after = segmentOf(second);
    let kept = 0;
    let total = 0;
    for (const [key, segment] of before) {
      if (segment === null) continue;
      total += 1;
      if (after.get(key) === segment) kept += 1;
    }
    expect(kept / total).toBeGreaterThanOrEqual(0.98);
  }, 120_000);
});
