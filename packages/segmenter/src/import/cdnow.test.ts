import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Segmentation } from '../model.js';
import { runSegmentation } from '../pipeline.js';
import { topRevenueShare } from '../stages/rfm.js';
import { createMemorySource } from '../testing/memory-source.js';
import { parseColumns, parseOrderLines, toOrderEvents } from './orders.js';

/** Real purchase history beside the repository (shared/data/cdnow); its README gives the figures. */
const FILE = fileURLToPath(new URL('../../../../../shared/data/cdnow/CDNOW_master.txt', import.meta.url));

describe('CDNOW purchase history, imported', () => {
  let events: ReturnType<typeof toOrderEvents>;
  let result: Segmentation;

  beforeAll(async () => {
    const { rows, problems } = parseOrderLines(readFileSync(FILE, 'utf8').split('\n'), {
      format: 'whitespace',
      header: false,
      columns: parseColumns('user=1,time=2,quantity=3,amount=4'),
      timeFormat: 'YYYYMMDD',
    });
    expect(problems).toEqual([]);
    events = toOrderEvents(rows);
    result = await runSegmentation(createMemorySource(events), { seed: 1, asOf: '2022-07-01T00:00:00Z' });
  }, 120_000);

  it('holds every purchase of every customer', () => {
    expect(events).toHaveLength(69_659);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(69_659);
    expect(result.profiles).toHaveLength(23_544);
    expect(result.profiles.reduce((s, p) => s + p.state.orders, 0)).toBe(69_659);
    expect(events.filter((e) => e.properties?.revenue === 0)).toHaveLength(80);
  });

  it('finds 49.5 % repeat buyers', () => {
    const repeat = result.profiles.filter((p) => p.state.orders > 1).length / result.profiles.length;
    expect(repeat).toBeCloseTo(0.495, 3);
  });

  it('finds 67.8 % of revenue with the top fifth of customers', () => {
    expect(topRevenueShare(result.profiles.map((p) => p.state.revenue))).toBeCloseTo(0.678, 3);
  });

  it('scores every customer on RFM, with one-time buyers sharing the lowest frequency score', () => {
    expect(result.profiles.every((p) => p.rfm !== null)).toBe(true);
    const once = result.profiles.filter((p) => p.state.orders === 1);
    expect(new Set(once.map((p) => p.rfm?.f))).toEqual(new Set([1]));
    const champions = result.profiles.filter((p) => p.rfm?.label === 'Champions');
    expect(champions.length).toBeGreaterThan(0);
  });

  it('imports idempotently: the same file gives the same message ids', () => {
    const again = toOrderEvents(
      parseOrderLines(readFileSync(FILE, 'utf8').split('\n'), {
        format: 'whitespace',
        header: false,
        columns: parseColumns('user=1,time=2,quantity=3,amount=4'),
        timeFormat: 'YYYYMMDD',
      }).rows,
    );
    expect(again.map((e) => e.messageId)).toEqual(events.map((e) => e.messageId));
  });
});
