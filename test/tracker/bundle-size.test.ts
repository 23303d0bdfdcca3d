import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRACKER_BUNDLE } from './stack.js';

/** SPEC "Numbers": loupe.js minified + gzip, with autocapture, batching, offline queue and consent gate. */
const SPEC_BUDGET_BYTES = 6 * 1024;
/**
 * What the build is held to today. loupe.js does not meet the SPEC budget yet (see bench/RESULTS.md,
 * "Tracker"): this ratchet stops it from growing while it is cut down, and moves to
 * SPEC_BUDGET_BYTES once it fits. Raise it only with a reason in the commit.
 */
// 7,568 B as built at this ratchet (from 7,751): issue #3's last 1.4 KB are still open (bench/RESULTS.md, "Tracker").
// Since: +13 B for time-ordered message ids (the collector's message-id index then grows at its end;
// on random v4 ids its indexing cost 32 µs an event at a million stored, 13 µs on ordered ones),
// −5 B for scroll depth keyed on the URL: 7,576 B.
// −18 B: the IndexedDB queue reads its results once per transaction, and without Web Locks tabs are
// not coordinated (the collector's messageId dedup keeps delivery exactly once): 7,558 B.
// −33 B: delivery tests the status itself (no outcome codes) and honours Retry-After on any retried answer: 7,525 B.
// −30 B: a stored session is taken as it was written (checked, not rebuilt), data-loupe-cart reads the
// element's dataset, and the cached segment is read like every other stored value (readJson): 7,495 B.
// −158 B: element views, data-loupe-cart clicks and the data-loupe-show rules move to loupe-x.js, which
// loupe.js loads only for pages with such markup (its loader costs 331 B of the 489 B moved out): 7,337 B.
// −16 B: loupe-x.js is an ES module that loupe.js import()s (no script element, no hand-over property): 7,321 B.
// +9 B: loupe-x.js does not start when the tracker was destroyed while it was loading: 7,330 B.
// +15 B: the markup observer looks at the nodes each mutation adds, not the whole document again
// (a page re-rendering every frame lost 110 to 150 ms of main thread a second to it; bench/tracker/host-page.js): 7,345 B.
// +34 B: a clicked element's text is collapsed and masked from its first 4,096 characters when they are
// enough (a click on a container of 600,000 characters took 17 to 24 ms, now 3): 7,379 B.
const ENFORCED_BUDGET_BYTES = 7379;

const EXTRAS_BUNDLE = TRACKER_BUNDLE.replace(/loupe\.js$/, 'loupe-x.js');
const gzipped = (file = TRACKER_BUNDLE) => gzipSync(readFileSync(file), { level: 9 }).length;

describe('loupe.js', () => {
  it(`stays within its size budget (${ENFORCED_BUDGET_BYTES} B min+gzip; SPEC target ${SPEC_BUDGET_BYTES} B)`, () => {
    const size = gzipped();
    console.info(`loupe.js: ${size} B min+gzip (SPEC target ${SPEC_BUDGET_BYTES} B)`);
    expect(ENFORCED_BUDGET_BYTES).toBeGreaterThanOrEqual(SPEC_BUDGET_BYTES);
    expect(size).toBeLessThanOrEqual(ENFORCED_BUDGET_BYTES);
  });

  it('leaves the markup-driven features to loupe-x.js, which holds none of the core', () => {
    console.info(`loupe-x.js: ${gzipped(EXTRAS_BUNDLE)} B min+gzip, loaded only by pages with its markup`);
    const sources = (file: string) =>
      (JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] }).sources.map((s) =>
        s.replace(/.*\/src\//, ''),
      );
    const extras = ['browser/capture/element-views.ts', 'browser/capture/cart-attributes.ts'];
    expect(sources(TRACKER_BUNDLE).filter((source) => extras.includes(source))).toEqual([]);
    expect(sources(EXTRAS_BUNDLE)).toEqual(expect.arrayContaining(extras));
    expect(
      sources(EXTRAS_BUNDLE).filter((source) => /core\/(create-core-tracker|delivery)|consent/.test(source)),
    ).toEqual([]);
  });

  it('bundles no zod: the tracker takes only types and constants from @loupe/schema', () => {
    const { sources } = JSON.parse(readFileSync(`${TRACKER_BUNDLE}.map`, 'utf8')) as { sources: string[] };
    expect(sources.filter((source) => /[\\/]zod[\\/]|schema[\\/](dist|src)[\\/]validate/.test(source))).toEqual([]);
    // The queue is raw IndexedDB (src/browser/indexeddb-queue.ts): idb did not fit the budget.
    expect(sources.filter((source) => /[\\/]idb[\\/]/.test(source))).toEqual([]);
    expect(readFileSync(TRACKER_BUNDLE, 'utf8')).not.toMatch(/ZodError|safeParse/);
  });
});
