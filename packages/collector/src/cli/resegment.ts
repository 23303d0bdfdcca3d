import type { RunningServer } from '../server.js';
import type { Logger } from '../services/log.js';
import {
  createResegmentScheduler,
  type ResegmentScheduler,
  type SchedulerTimers,
} from '../services/resegment-scheduler.js';
import { segmentStoreOf } from '../storage/segment-store-of.js';
import { segmentAndSave } from './segment.js';

export interface ResegmentingOptions {
  logger: Logger;
  clock?: () => Date;
  timers?: SchedulerTimers;
  k?: number | 'auto';
}

/**
 * `loupe serve --resegment-every`: segment runs in the serving process on a schedule, each saved
 * like `loupe segment`'s and picked up by live assignment and read-back at once. Null when
 * disabled (`everyMs` 0) or when the store keeps no segments (logged).
 */
export function startResegmenting(
  server: RunningServer,
  everyMs: number,
  { logger, clock = () => new Date(), timers, k }: ResegmentingOptions,
): ResegmentScheduler | null {
  if (everyMs <= 0) return null;
  const segments = segmentStoreOf(server.store);
  if (!segments) {
    logger.log('warn', 'resegment: disabled, this storage adapter keeps no segments', { store: server.store.kind });
    return null;
  }
  const scheduler = createResegmentScheduler({
    everyMs,
    clock,
    logger,
    ...(timers ? { timers } : {}),
    lastRunAt: async () => (await segments.latestRun())?.run.at ?? null,
    run: async () => {
      const { run } = await segmentAndSave(server.store, { now: clock(), ...(k !== undefined ? { k } : {}) });
      server.collector.segments?.invalidate();
      return { events: run.events, profiles: run.profiles, k: run.k, driftAlert: run.drift?.alert ?? false };
    },
  });
  scheduler.start().catch((error: Error) => logger.log('error', 'resegment: cannot start', { message: error.message }));
  return scheduler;
}
