import { createMemorySource, PERSONA_MODELS, runSegmentation, scorePersonas, simulate } from '@loupe/segmenter';
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
    const score = scorePersonas(sim.people, result);
    expect(score.k).toBe(Object.keys(PERSONA_MODELS).length);
    expect(score.ari).toBeGreaterThanOrEqual(0.8);
    expect(score.named).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});
