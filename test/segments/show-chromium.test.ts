import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@loupe/collector';
import type { Segmentation } from '@loupe/segmenter';
import { Hono } from 'hono';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { segmentAndSave } from '../../packages/collector/src/cli/segment.js';
import { simulateShoppers } from '../../packages/collector/src/cli/demo-data.js';
import { basicAuth } from '../collector/harness.js';
import { heavyBuyer } from '../collector/segmented.js';
import { describeWithChromium, launchChromium, until } from '../helpers/chromium.js';

const KEY = 'wk_show_chromium';

/** One element per segment and a default, pre-hidden until loupe.js runs (as the example shop does). */
function pageHtml(segments: Segmentation['segments']): string {
  const blocks = [...segments.map((s) => s.id), 'default']
    .map((id) => `<aside data-loupe-show="${id}" id="show-${id}">Offer for ${id}</aside>`)
    .join('\n');
  return `<!doctype html><html class="loupe-pending"><head><meta charset="utf-8"><title>show</title>
<style>.loupe-pending [data-loupe-show]{display:none}</style>
<script>
  window.loupe = window.loupe || [];
  (function wait() {
    if (window.loupe && !Array.isArray(window.loupe)) return document.documentElement.classList.remove('loupe-pending');
    setTimeout(wait, 10);
  })();
</script>
<script src="/loupe.js" data-write-key="${KEY}" data-consent="analytics personalization" data-show-timeout="60000" data-capture="page" async></script>
</head><body><h1>Shop</h1>
${blocks}
</body></html>`;
}

/**
 * Runs in the page before anything else: on every mutation and every animation frame, notes which
 * `data-loupe-show` elements are rendered and the segment `<html>` names at that moment.
 */
const RECORDER = () => {
  type Frame = { segment: string | null; visible: string[]; via: string };
  const frames: Frame[] = [];
  (window as unknown as { __frames: Frame[] }).__frames = frames;
  const snapshot = (via: string) => {
    if (!document.body) return;
    const visible = [...document.querySelectorAll<HTMLElement>('[data-loupe-show]')]
      .filter((el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0)
      .map((el) => el.dataset.loupeShow as string);
    const segment = document.documentElement.dataset.loupeSegment ?? null;
    const last = frames[frames.length - 1];
    if (!last || last.segment !== segment || last.visible.join('|') !== visible.join('|'))
      frames.push({ segment, visible, via });
  };
  new MutationObserver(() => snapshot('mutation')).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  const frame = () => {
    snapshot('frame');
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
};

type Frame = { segment: string | null; visible: string[]; via: string };

describeWithChromium('data-loupe-show in real Chromium against a segmented collector', () => {
  let dir: string;
  let server: RunningServer;
  let browser: Browser;
  let run: Segmentation;
  let html = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loupe-show-'));
    const site = new Hono();
    site.get('/shop.html', (c) => c.html(html));
    server = await startServer({ db: join(dir, 'loupe.db'), port: 0, hostname: '127.0.0.1', site });
    await server.store.createKey({ key: KEY, origins: [server.url] });
    await simulateShoppers({ url: server.url, writeKey: KEY, users: 150, days: 30, seed: 3 });
    await server.collector.drain();
    run = await segmentAndSave(server.store, { k: 4 });
    server.collector.segments?.invalidate();
    html = pageHtml(run.segments);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const frames = (page: Page) => page.evaluate(() => (window as unknown as { __frames: Frame[] }).__frames);
  /** The segment ids `<html data-loupe-segment>` stands for (the tracker writes the name's slug). */
  const namesFor = (slug: string | null): string[] => {
    if (slug === null) return [];
    const segment = run.segments.find(
      (s) => s.id === slug || s.name.toLowerCase().replace(/[^a-z0-9]+/g, '-') === slug,
    );
    return segment ? [segment.id, slug] : [slug];
  };
  /** No frame ever shows an element for another segment, or two segments' elements at once. */
  const expectNoWrongContent = (recorded: Frame[]) => {
    expect(recorded.length).toBeGreaterThan(0);
    for (const f of recorded) {
      expect(f.visible.length, JSON.stringify(f)).toBeLessThanOrEqual(1);
      for (const shown of f.visible) {
        expect(f.segment, `"${shown}" visible before the segment was known`).not.toBeNull();
        expect(
          shown.split(/\s+/).some((name) => namesFor(f.segment).includes(name)),
          JSON.stringify(f),
        ).toBe(true);
      }
    }
  };
  const shownNow = async (page: Page) => (await frames(page)).at(-1);

  it('shows only the visitor’s segment, never another, and switches when the segment changes', async () => {
    const context = await browser.newContext();
    await context.addInitScript(RECORDER);
    const page = await context.newPage();
    await page.goto(`${server.url}/shop.html`);

    // First contact: the page view's batch answer carries the segment.
    const first = await until(async () => {
      const f = await shownNow(page);
      return f && f.segment !== null && f.visible.length === 1 ? f : null;
    });
    const firstId = namesFor(first.segment)[0] as string;
    expect(run.segments.map((s) => s.id)).toContain(firstId);
    expect(first.visible).toEqual([firstId]);

    // The visitor's history turns into a power user's (sent for their anonymous id), then they act on the page.
    const anonymousId = await page.evaluate(() =>
      (window as unknown as { loupe: { anonymousId(): string } }).loupe.anonymousId(),
    );
    let moved: string | undefined;
    for (const batch of heavyBuyer(anonymousId, Date.now())) {
      const response = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basicAuth(KEY) },
        body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
      });
      moved = ((await response.json()) as { segment?: { id: string } }).segment?.id;
    }
    expect(moved).toBeDefined();
    expect(moved).not.toBe(firstId);
    await page.evaluate(() => {
      const loupe = (window as unknown as { loupe: { track(e: string, p: object): void; flush(): Promise<void> } })
        .loupe;
      loupe.track('Product Viewed', { product_id: 'p1', price: 90 });
      return loupe.flush();
    });
    const switched = await until(async () => {
      const f = await shownNow(page);
      return f && f.visible[0] === moved ? f : null;
    });
    expect(namesFor(switched.segment)).toContain(moved);
    const recorded = await frames(page);
    expectNoWrongContent(recorded);
    // Nothing showed before the segment was known, and the switch went straight from one offer to the other.
    const shownSequence = recorded.filter((f) => f.visible.length > 0).map((f) => f.visible[0]);
    expect([...new Set(shownSequence)]).toEqual([firstId, moved]);

    // A reload shows the cached segment's content without showing anything else first.
    await page.reload();
    await until(async () => {
      const f = await shownNow(page);
      return f && f.visible[0] === moved ? f : null;
    });
    const reloaded = await frames(page);
    expectNoWrongContent(reloaded);
    expect(reloaded.filter((f) => f.visible.length > 0).every((f) => f.visible[0] === moved)).toBe(true);
    await context.close();
  });
});
