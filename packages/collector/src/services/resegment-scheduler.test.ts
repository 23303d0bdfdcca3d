import { describe, expect, it } from 'vitest';
import {
  createResegmentScheduler,
  parseDuration,
  type ResegmentSummary,
  type SchedulerTimers,
} from './resegment-scheduler.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const T0 = Date.parse('2026-03-02T00:00:00.000Z');

/** A clock and timers that move only when the test says so. */
function fakeTime() {
  let now = T0;
  let nextId = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: SchedulerTimers = {
    setTimeout(callback, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    clock: () => new Date(now),
    timers,
    pending,
    /** Moves the clock to the next timer and fires it. */
    async fireNext() {
      const [id, next] = [...pending].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || !next) throw new Error('no timer pending');
      pending.delete(id);
      now = Math.max(now, next.at);
      next.callback();
      // Let the tick's awaits settle.
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
    advance(ms: number) {
      now += ms;
    },
    now: () => now,
  };
}

const summary: ResegmentSummary = { events: 10, profiles: 3, k: 2, driftAlert: false };

describe('resegment schedule', () => {
  it('reads durations: 7d, 12h, 30m, 2w, seconds; 0 and off disable; nonsense is refused', () => {
    expect(parseDuration('7d')).toBe(WEEK);
    expect(parseDuration('12h')).toBe(12 * HOUR);
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('2w')).toBe(2 * WEEK);
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('off')).toBe(0);
    expect(parseDuration('weekly')).toBeNull();
    expect(parseDuration('-1d')).toBeNull();
  });

  it('runs a week after the last saved run, then every week after its own', async () => {
    const time = fakeTime();
    let last: string | null = new Date(T0 - 2 * DAY).toISOString();
    const runs: number[] = [];
    const scheduler = createResegmentScheduler({
      everyMs: WEEK,
      clock: time.clock,
      timers: time.timers,
      lastRunAt: async () => last,
      run: async () => {
        runs.push(time.now());
        last = time.clock().toISOString();
        return summary;
      },
    });
    await scheduler.start();
    expect(scheduler.nextAt()).toBe(T0 + 5 * DAY);
    // Waits in steps of at most a day, re-reading the schedule each time.
    for (let i = 0; i < 5; i++) await time.fireNext();
    expect(runs).toEqual([T0 + 5 * DAY]);
    expect(scheduler.nextAt()).toBe(T0 + 12 * DAY);
    for (let i = 0; i < 7; i++) await time.fireNext();
    expect(runs).toEqual([T0 + 5 * DAY, T0 + 12 * DAY]);
    scheduler.stop();
    expect(time.pending.size).toBe(0);
  });

  it('counts from the start when there is no run yet, and follows a run made elsewhere', async () => {
    const time = fakeTime();
    let last: string | null = null;
    let runs = 0;
    const scheduler = createResegmentScheduler({
      everyMs: DAY,
      clock: time.clock,
      timers: time.timers,
      lastRunAt: async () => last,
      run: async () => {
        runs += 1;
        last = time.clock().toISOString();
        return summary;
      },
    });
    await scheduler.start();
    expect(scheduler.nextAt()).toBe(T0 + DAY);
    // `loupe segment` ran in another process half a day in.
    time.advance(12 * HOUR);
    last = time.clock().toISOString();
    await time.fireNext();
    expect(runs).toBe(0);
    expect(scheduler.nextAt()).toBe(T0 + 36 * HOUR);
    await time.fireNext();
    expect(runs).toBe(1);
    scheduler.stop();
  });

  it('never overlaps runs: a second start while one is in progress is skipped', async () => {
    const time = fakeTime();
    let finish: () => void = () => {};
    let calls = 0;
    const logged: string[] = [];
    const scheduler = createResegmentScheduler({
      everyMs: HOUR,
      clock: time.clock,
      timers: time.timers,
      logger: { log: (_level, msg) => logged.push(msg) },
      lastRunAt: async () => null,
      run: () => {
        calls += 1;
        return new Promise((resolve) => {
          finish = () => resolve(summary);
        });
      },
    });
    const first = scheduler.runNow();
    expect(scheduler.running()).toBe(true);
    expect(await scheduler.runNow()).toBe('skipped');
    expect(calls).toBe(1);
    expect(logged).toContain('resegment: skipped, the previous run is still in progress');
    finish();
    expect(await first).toBe('ran');
    expect(scheduler.running()).toBe(false);
    scheduler.stop();
  });

  it('logs a failed run without personal data and retries after the retry delay, not at once', async () => {
    const time = fakeTime();
    const logged: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    let attempts = 0;
    const scheduler = createResegmentScheduler({
      everyMs: WEEK,
      retryAfterMs: HOUR,
      clock: time.clock,
      timers: time.timers,
      logger: { log: (level, msg, fields) => logged.push({ level, msg, ...(fields ? { fields } : {}) }) },
      lastRunAt: async () => new Date(T0 - WEEK).toISOString(),
      run: async () => {
        attempts += 1;
        throw new Error('database is locked');
      },
    });
    await scheduler.start();
    expect(attempts).toBe(1);
    expect(scheduler.nextAt()).toBe(T0 + HOUR);
    const failure = logged.find((l) => l.level === 'error');
    expect(failure).toMatchObject({ msg: 'resegment: failed', fields: { message: 'database is locked' } });
    await time.fireNext();
    expect(attempts).toBe(2);
    scheduler.stop();
  });
});
