import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CollectorChild, collectorFiles, startCollectorChild } from '../helpers/collector-child.js';

/**
 * SIGKILL during load: a built `loupe serve` child takes concurrent batches, is killed without
 * warning several times and restarted on the same file; every batch it answered 200 must be
 * stored exactly once in the end. Needs `npm run build` (which `npm test` runs first).
 */
const KILL_CYCLES = 4;
const SENDERS = 4;
const BATCH = 20;
/** Acknowledged batches to wait for before each kill (bounded by CYCLE_TIMEOUT_MS). */
const ACKS_BEFORE_KILL = 25;
const CYCLE_TIMEOUT_MS = 20_000;

const files = collectorFiles('crash test');

beforeAll(() => {
  expect(files.writeKey).toMatch(/^wk_/);
});

type Collector = CollectorChild;
const startCollector = () => startCollectorChild(files.db);

let sequence = 0;
function newBatch(sender: number): Record<string, unknown>[] {
  return Array.from({ length: BATCH }, () => {
    const n = sequence++;
    return {
      type: 'track',
      event: 'Crash Load',
      anonymousId: `crash-anon-${n % 97}`,
      messageId: `crash-${sender}-${n}`,
      properties: { n },
    };
  });
}

describe('SIGKILL under concurrent load', () => {
  it('loses no acknowledged event and stores each exactly once across kills and restarts', async () => {
    const acked = new Set<string>();
    let ackedBatches = 0;
    let failedRequests = 0;
    let stopping = false;
    let current: Collector | null = await startCollector();
    let onAck: (() => void) | null = null;

    /** Posts batches to whichever collector is up; a batch that gets no answer is resent unchanged (as trackers retry). */
    async function sender(id: number): Promise<Record<string, unknown>[] | null> {
      let batch = newBatch(id);
      while (!stopping) {
        const target = current;
        if (!target) {
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        try {
          const res = await fetch(`${target.url}/v1/batch`, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Basic ${Buffer.from(`${files.writeKey}:`).toString('base64')}`,
            },
            body: JSON.stringify({ batch }),
          });
          const body = (await res.json()) as { accepted: number; duplicates: number };
          if (res.status !== 200) throw new Error(`status ${res.status}`);
          expect(body.accepted + body.duplicates).toBe(BATCH);
          for (const e of batch) acked.add(e.messageId as string);
          ackedBatches++;
          onAck?.();
          batch = newBatch(id);
        } catch {
          failedRequests++;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      return batch;
    }

    const senders = Array.from({ length: SENDERS }, (_, i) => sender(i));

    for (let cycle = 0; cycle < KILL_CYCLES; cycle++) {
      const target = ackedBatches + ACKS_BEFORE_KILL;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`cycle ${cycle}: no ${ACKS_BEFORE_KILL} acknowledged batches in time`)),
          CYCLE_TIMEOUT_MS,
        );
        onAck = () => {
          if (ackedBatches >= target) {
            clearTimeout(timer);
            onAck = null;
            resolve();
          }
        };
      });
      const victim = current as Collector;
      current = null;
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      current = await startCollector();
    }

    // Stop the load, then deliver each sender's unacknowledged batch to the last collector.
    stopping = true;
    const leftovers = await Promise.all(senders);
    const last = current as Collector;
    for (const batch of leftovers) {
      if (!batch) continue;
      const res = await fetch(`${last.url}/v1/batch`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(`${files.writeKey}:`).toString('base64')}`,
        },
        body: JSON.stringify({ batch }),
      });
      expect(res.status).toBe(200);
      for (const e of batch) acked.add(e.messageId as string);
    }
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });

    expect(ackedBatches).toBeGreaterThanOrEqual(KILL_CYCLES * ACKS_BEFORE_KILL);
    const file = new Database(files.db, { readonly: true });
    try {
      const counts = new Map<string, number>();
      for (const row of file
        .prepare('SELECT message_id AS id, count(*) AS n FROM events WHERE write_key = ? GROUP BY message_id')
        .all(files.writeKey) as { id: string; n: number }[]) {
        counts.set(row.id, row.n);
      }
      const missing = [...acked].filter((id) => !counts.has(id));
      const repeated = [...counts].filter(([, n]) => n !== 1);
      expect(
        missing,
        `acknowledged but lost (of ${acked.size}; ${failedRequests} requests failed during kills)`,
      ).toEqual([]);
      expect(repeated).toEqual([]);
      expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      file.close();
    }
  }, 180_000);
});
