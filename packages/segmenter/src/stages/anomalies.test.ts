import { describe, expect, it } from 'vitest';
import { createRng } from '../random.js';
import { type AnomalyInput, fitIsolationForest, flagAnomalies } from './anomalies.js';

function shopper(rng: () => number): AnomalyInput {
  const sessions = 1 + Math.floor(rng() * 10);
  const pages = sessions * (2 + Math.floor(rng() * 6));
  return {
    events: pages * 3,
    botEvents: 0,
    rapidEvents: Math.floor(pages * 0.05),
    pages,
    sessions,
    sessionDuration: 3 + rng() * 10,
    productViews: Math.floor(pages * rng()),
    orders: Math.floor(rng() * 3),
    revenue: rng() * 200,
    activeDays: sessions,
  };
}

describe('anomalies', () => {
  const rng = createRng(4);
  const people = Array.from({ length: 500 }, () => shopper(() => rng.next()));
  const scraper: AnomalyInput = {
    events: 3000,
    botEvents: 0,
    rapidEvents: 2900,
    pages: 2000,
    sessions: 10,
    sessionDuration: 20,
    productViews: 1000,
    orders: 0,
    revenue: 0,
    activeDays: 10,
  };

  it('scores an isolated point above every ordinary one', () => {
    const points = Array.from({ length: 300 }, () => [rng.next(), rng.next()]);
    const forest = fitIsolationForest(points, { seed: 1 });
    const ordinary = points.map((p) => forest.score(p)).sort((a, b) => a - b);
    expect(forest.score([50, 50])).toBeGreaterThan(ordinary[ordinary.length - 1] ?? 1);
    expect(forest.score([0.5, 0.5])).toBeLessThan(0.5);
  });

  it('flags a scraper posing as a browser and few real shoppers', () => {
    const flags = flagAnomalies([...people, scraper], { seed: 2 });
    expect(flags[people.length]?.reason).toBe('isolated');
    expect(flags.slice(0, people.length).filter(Boolean).length).toBeLessThan(people.length * 0.03);
  });

  it('flags scrapers paced like machines even when there are enough of them to mask each other', () => {
    // 5 % look-alike scrapers: the forest's subsamples hold a dozen of them, so none looks isolated.
    const crowd = Array.from({ length: 25 }, (_, i) => ({ ...scraper, events: 3000 + i, rapidEvents: 2900 + i }));
    const flags = flagAnomalies([...people, ...crowd], { seed: 2 });
    expect(flags.slice(people.length).every((f) => f !== null)).toBe(true);
    expect(flags.slice(0, people.length).filter(Boolean).length).toBeLessThan(people.length * 0.03);
  });

  it('does not judge the pace of a profile with few events', () => {
    const quick = { ...shopper(() => 0.5), events: 10, rapidEvents: 9 };
    expect(flagAnomalies([...people, quick], { seed: 2 })[people.length]?.reason).not.toBe('bot-pace');
  });

  it('flags a profile whose user agent says bot', () => {
    const flags = flagAnomalies([...people, { ...shopper(() => 0.5), botEvents: 100, events: 100 }]);
    expect(flags[people.length]?.reason).toBe('bot-user-agent');
  });
});
