import { type Logger, silentLogger } from './log.js';

/** The timer functions the scheduler uses; tests pass fakes. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What a run reports: counts only, never anything about a person. */
export interface ResegmentSummary {
  events: number;
  profiles: number;
  k: number;
  driftAlert: boolean;
}

export interface ResegmentSchedulerOptions {
  /** Time between runs (ms, > 0). */
  everyMs: number;
  /** One segmentation run, saved. */
  run: () => Promise<ResegmentSummary>;
  /** When the last saved run happened (ISO), by this process or another; null when there is none. */
  lastRunAt: () => Promise<string | null>;
  clock?: () => Date;
  timers?: SchedulerTimers;
  logger?: Logger;
  /** After a failed run, the next try waits this long (default: an hour, or `everyMs` if shorter). */
  retryAfterMs?: number;
  /** Longest single timer (Node's setTimeout overflows past ~24.8 days); the schedule is re-read after it. */
  maxWaitMs?: number;
}

export type RunOutcome = 'ran' | 'skipped' | 'failed';

export interface ResegmentScheduler {
  /** Reads the last run's time and sets the timer for the next one. */
  start(): Promise<void>;
  /** Clears the timer; a run in progress finishes. */
  stop(): void;
  /** Runs now unless a run is in progress (then `skipped`). */
  runNow(): Promise<RunOutcome>;
  /** When the next run is due (ms since the epoch), null when stopped. */
  nextAt(): number | null;
  running(): boolean;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Re-segments on a schedule in the serving process: the next run is due `everyMs` after the last
 * saved run (made here or by `loupe segment` elsewhere), or after the start when there is none.
 * Runs never overlap; failures are logged (message only) and retried after `retryAfterMs`.
 */
export function createResegmentScheduler({
  everyMs,
  run,
  lastRunAt,
  clock = () => new Date(),
  timers = nodeTimers,
  logger = silentLogger,
  retryAfterMs = Math.min(HOUR, everyMs),
  maxWaitMs = DAY,
}: ResegmentSchedulerOptions): ResegmentScheduler {
  if (!(everyMs > 0)) throw new Error('everyMs must be positive');
  const startedAt = clock().getTime();
  let handle: unknown = null;
  let due: number | null = null;
  let notBefore = 0;
  let active: Promise<RunOutcome> | null = null;
  let stopped = true;

  const arm = (at: number) => {
    if (handle !== null) timers.clearTimeout(handle);
    due = at;
    const wait = Math.max(0, Math.min(at - clock().getTime(), maxWaitMs));
    handle = timers.setTimeout(() => {
      handle = null;
      void tick();
    }, wait);
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    let last: string | null = null;
    try {
      last = await lastRunAt();
    } catch (error) {
      logger.log('warn', 'resegment: cannot read the last run', { message: (error as Error).message });
    }
    const base = last === null ? startedAt : Date.parse(last);
    const next = Math.max(base + everyMs, notBefore);
    if (clock().getTime() >= next) {
      // A run started by hand is awaited, not doubled; either way the next one waits for notBefore.
      await (active ?? runNow());
      if (stopped) return;
      return tick();
    }
    arm(next);
  };

  const runNow = (): Promise<RunOutcome> => {
    if (active) {
      logger.log('info', 'resegment: skipped, the previous run is still in progress');
      return Promise.resolve('skipped');
    }
    const started = clock().getTime();
    logger.log('info', 'resegment: started');
    active = run()
      .then(
        (summary): RunOutcome => {
          notBefore = started + everyMs;
          logger.log('info', 'resegment: done', { ...summary, ms: clock().getTime() - started });
          return 'ran';
        },
        (error: Error): RunOutcome => {
          notBefore = clock().getTime() + retryAfterMs;
          logger.log('error', 'resegment: failed', {
            error: error.name,
            message: error.message,
            retryInMs: retryAfterMs,
          });
          return 'failed';
        },
      )
      .finally(() => {
        active = null;
      });
    return active;
  };

  return {
    async start() {
      stopped = false;
      await tick();
    },
    stop() {
      stopped = true;
      due = null;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
    runNow,
    nextAt: () => due,
    running: () => active !== null,
  };
}

/**
 * `--resegment-every`: `7d`, `12h`, `30m`, `2w`, `90s`, a bare number of seconds; `0` or `off`
 * disables. Returns milliseconds (0 when disabled), or null when the text is none of these.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase();
  if (value === 'off' || value === 'never' || value === '0') return 0;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/.exec(value);
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: DAY, w: 7 * DAY }[
    (m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd' | 'w'
  ];
  return Math.round(Number(m[1]) * unit);
}
