import { describe, expect, it } from 'vitest';
import { runSegmentation } from '../pipeline.js';
import { simulate } from '../simulate/simulate.js';
import { createMemorySource } from '../testing/memory-source.js';
import { renderReport } from './html.js';

describe('HTML report', () => {
  it('is one self-contained page with every section and no scripts or remote resources', async () => {
    const sim = simulate({ users: 150, days: 30, seed: 3 });
    const html = renderReport(await runSegmentation(createMemorySource(sim.events), { k: 4, asOf: sim.end }));
    for (const section of [
      'Choosing k',
      'Segment sizes',
      'What sets them apart',
      'Business figures',
      'RFM grid',
      'Funnel',
      'Drift',
    ]) {
      expect(html).toContain(section);
    }
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });
});
