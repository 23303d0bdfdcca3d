import {
  adjustedRandIndex,
  createMemorySource,
  PERSONA_MODELS,
  PERSONAS,
  runSegmentation,
  simulate,
} from '@loupe/segmenter';
import { describe, expect, it } from 'vitest';
import { DEMO_SHOPPERS } from './demo-data.js';

const DAY_MS = 86_400_000;

describe("the demo's shoppers", () => {
  it('segment into the planted personas by default, so the first report shows what Loupe does', async () => {
    // What `loupe demo` sends on a first start (simulateShoppers: the same people, ending now), and
    // the segmentation it then runs (segmentOnce: k chosen by the criteria).
    const now = Date.now();
    const sim = simulate({ ...DEMO_SHOPPERS, start: new Date(now - DEMO_SHOPPERS.days * DAY_MS).toISOString() });
    const result = await runSegmentation(createMemorySource(sim.events), { k: 'auto', asOf: now });
    const byKey = new Map(result.profiles.map((p) => [p.key, p]));
    const nameOf = new Map(result.segments.map((s) => [s.id, s.name]));
    const truth: string[] = [];
    const found: string[] = [];
    let named = 0;
    for (const person of sim.people) {
      if (person.persona === 'bot' || person.persona === 'scraper') continue;
      const profile = byKey.get(person.userId ? `u:${person.userId}` : `a:${person.anonymousIds[0]}`);
      truth.push(person.persona);
      found.push(profile?.segmentId ?? 'none');
      if (profile?.segmentId && nameOf.get(profile.segmentId) === PERSONAS[person.persona]) named += 1;
    }
    expect(result.run.k).toBe(Object.keys(PERSONA_MODELS).length);
    expect(adjustedRandIndex(truth, found)).toBeGreaterThanOrEqual(0.8);
    expect(named / truth.length).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});
