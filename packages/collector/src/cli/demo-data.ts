import { existsSync, writeFileSync } from 'node:fs';
import type { LoupeEvent } from '@loupe/schema';
import { renderReport, runSegmentation, type Segmentation, simulatePerson } from '@loupe/segmenter';
import { segmentStoreOf } from '../storage/segment-store-of.js';
import type { Store } from '../storage/types.js';

const DAY_MS = 86_400_000;
/**
 * The demo's shoppers unless told otherwise. 60 days, not 30: on 30 days of this simulation the
 * segmenter found 5 of the 7 planted personas (adjusted Rand 0.65–0.68, 52–62 % of shoppers given
 * their persona's name, seeds 7, 1 and 2); on 60 it finds all 7 (0.88–0.90, 94–95 %), so the first
 * report and the shop's segments show what the product does. Twice the events: ~140,000, a few
 * seconds more on the first start.
 */
export const DEMO_SHOPPERS = { users: 600, days: 60, seed: 7 } as const;
/** Events per request: well under the 500 KB limit. */
const BATCH = 250;
const CONCURRENCY = 4;
/** Simulated shoppers said yes to the banner: the demo key requires consent, as a shop's should. */
const CONSENTED = { categories: { analytics: true, personalization: true, marketing: false } };

export interface SimulateShoppersOptions {
  /** The running collector's base URL. */
  url: string;
  writeKey: string;
  users: number;
  days: number;
  seed: number;
  onProgress?: (people: number, events: number) => void;
}

/**
 * `loupe simulate`'s shoppers, ending now, sent through the collector's own ingest API (so they
 * are stored exactly as a browser's events would be). Returns the number of events sent.
 */
export async function simulateShoppers({
  url,
  writeKey,
  users,
  days,
  seed,
  onProgress,
}: SimulateShoppersOptions): Promise<number> {
  const start = new Date(Date.now() - days * DAY_MS).toISOString();
  const endpoint = new URL('/v1/batch', url).toString();
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  let pending: LoupeEvent[] = [];
  let sent = 0;
  const inFlight = new Set<Promise<void>>();

  const send = async (batch: LoupeEvent[]) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
      });
      if (response.ok) {
        sent += batch.length;
        return;
      }
      if ((response.status === 429 || response.status === 503) && attempt < 10) {
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** Math.min(attempt, 4)));
        continue;
      }
      throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }
  };
  const drain = async (all: boolean) => {
    while (pending.length >= BATCH || (all && pending.length > 0)) {
      const batch = pending.splice(0, BATCH);
      const request: Promise<void> = send(batch).finally(() => inFlight.delete(request));
      inFlight.add(request);
      if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    }
  };

  for (let i = 0; i < users; i++) {
    for (const event of simulatePerson(i, { users, days, seed, start }).events) {
      pending.push({ ...event, context: { ...event.context, consent: CONSENTED } } as LoupeEvent);
    }
    await drain(false);
    if (i % 50 === 0) onProgress?.(i, sent);
  }
  await drain(true);
  await Promise.all(inFlight);
  onProgress?.(users, sent);
  return sent;
}

/** A segmentation run over everything stored, saved for read-back, with its HTML report. */
export async function segmentOnce(store: Store, reportPath: string): Promise<Segmentation> {
  const segments = segmentStoreOf(store);
  if (!segments) throw new Error(`the ${store.kind} store does not keep segments`);
  const now = new Date();
  const result = await runSegmentation(store, {
    k: 'auto',
    asOf: now.getTime(),
    now: now.toISOString(),
    previous: await segments.latestRun(),
  });
  await segments.saveSegmentation(result);
  writeFileSync(reportPath, renderReport(result));
  return result;
}

/** Whether the demo's data is there already: events stored, a segment run made, its report written. */
export async function demoDataState(store: Store, writeKey: string, reportPath: string) {
  const events = await store.countEvents(writeKey);
  const latest = await segmentStoreOf(store)?.latestRun();
  return { events, run: latest?.run ?? null, segments: latest?.segments ?? [], report: existsSync(reportPath) };
}
