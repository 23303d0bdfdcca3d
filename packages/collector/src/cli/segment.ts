import { writeFileSync } from 'node:fs';
import { renderReport, runSegmentation, type SegmentPhase, type Segmentation } from '@loupe/segmenter';
import type { Store } from '../storage/types.js';
import { segmentStoreOf } from '../storage/segment-store-of.js';
import { defaultDbPath, flag, parse, str, UsageError } from './args.js';
import { openStore } from './open-store.js';

const USAGE =
  'loupe segment [--db ./data/loupe.db | --database-url postgres://…] [--k auto|N] [--since 90d] [--seed 42] [--report report.html] [--json]';

/** `90d`, `12h`, `4w` or an ISO date → the ISO date that many units before `now`. */
export function sinceFrom(value: string | undefined, now: Date): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)([hdw])$/.exec(value);
  if (!m) {
    if (Number.isNaN(Date.parse(value))) throw new UsageError(`--since takes 90d, 12h, 4w or a date, not "${value}"`);
    return new Date(value).toISOString();
  }
  const hours = { h: 1, d: 24, w: 24 * 7 }[m[2] as 'h' | 'd' | 'w'];
  return new Date(now.getTime() - Number(m[1]) * hours * 3_600_000).toISOString();
}

export interface SegmentAndSaveOptions {
  k?: number | 'auto';
  seed?: number;
  /** The run's time; features are computed as of it. Default: now. */
  now?: Date;
  since?: string;
  onProgress?: (phase: SegmentPhase, done: number) => void;
}

/**
 * One segmentation run over the stored events, against the last run (stable ids, drift), saved
 * for read-back: what `loupe segment` and `loupe serve --resegment-every` do.
 */
export async function segmentAndSave(store: Store, options: SegmentAndSaveOptions = {}): Promise<Segmentation> {
  const segments = segmentStoreOf(store);
  if (!segments) throw new UsageError(`the ${store.kind} storage adapter does not keep segments`);
  const now = options.now ?? new Date();
  const result = await runSegmentation(store, {
    k: options.k ?? 'auto',
    seed: options.seed ?? 42,
    asOf: now.getTime(),
    now: now.toISOString(),
    previous: await segments.latestRun(),
    ...(options.since ? { since: options.since } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  await segments.saveSegmentation(result);
  return result;
}

/** `loupe segment`: one segmentation run over the stored events, saved for read-back. */
export async function segmentCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      db: { type: 'string', default: defaultDbPath() },
      'database-url': { type: 'string', default: process.env.LOUPE_DATABASE_URL },
      k: { type: 'string', default: 'auto' },
      since: { type: 'string' },
      seed: { type: 'string', default: '42' },
      report: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    USAGE,
  );
  const kText = str(args, 'k') as string;
  const k = kText === 'auto' ? 'auto' : Number(kText);
  if (k !== 'auto' && (!Number.isInteger(k) || k < 1 || k > 20))
    throw new UsageError(`--k takes auto or 1–20, not "${kText}"`);
  const now = new Date();
  const since = sinceFrom(str(args, 'since'), now);
  const store = await openStore({ db: str(args, 'db') as string, databaseUrl: str(args, 'database-url') });
  try {
    const progress = process.stderr.isTTY && !flag(args, 'json') ? createProgress() : undefined;
    const result = await segmentAndSave(store, {
      k,
      seed: Number(str(args, 'seed')),
      now,
      ...(since ? { since } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    const report = str(args, 'report');
    if (report) writeFileSync(report, renderReport(result));
    if (flag(args, 'json')) {
      const { run, segments: list } = result;
      process.stdout.write(
        `${JSON.stringify({ run: { ...run, model: undefined, histograms: undefined }, segments: list }, null, 2)}\n`,
      );
    } else {
      const { run } = result;
      process.stdout.write(
        `${run.events} events, ${run.profiles} profiles (${run.anomalies} flagged), k=${run.k}: ${run.reason}\n`,
      );
      for (const s of result.segments) {
        process.stdout.write(
          `  ${s.name.padEnd(20)} ${String(s.size).padStart(7)}  conversion ${(100 * s.figures.conversionRate).toFixed(1)} %  revenue ${(100 * s.figures.revenueShare).toFixed(1)} %  [${s.id}]\n`,
        );
      }
      if (run.drift?.alert) process.stdout.write(`drift alert: ${run.drift.reasons.join('; ')}\n`);
      if (report) process.stdout.write(`report: ${report}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** A one-line progress display on a terminal. */
function createProgress(): (phase: SegmentPhase, done: number) => void {
  return (phase, done) => {
    const text =
      phase === 'events' ? `reading events… ${done.toLocaleString('en')}` : phase === 'done' ? 'done' : `${phase}…`;
    process.stderr.write(`\r\x1b[K${text}${phase === 'done' ? '\n' : ''}`);
  };
}
