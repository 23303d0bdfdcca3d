import type { Tracker } from '../core/types.js';

/** A call queued by the snippet before loupe.js loaded: `['track', 'Signed Up', {…}]`, `['consent.grant', ['analytics']]`. */
export type QueuedCall = [method: string, ...args: unknown[]];

/** Replays queued calls in order; an unknown method or a failing call is reported and skipped. */
export function replay(tracker: Tracker, calls: readonly unknown[], report: (error: unknown) => void): void {
  for (const call of calls) {
    try {
      const [method, ...args] = call as QueuedCall;
      const path = method.split('.');
      const name = path.pop() as string;
      const owner = path.reduce<Record<string, unknown>>(
        (object, key) => object[key] as Record<string, unknown>,
        tracker as never,
      );
      (owner[name] as (...a: unknown[]) => unknown).apply(owner, args);
    } catch (error) {
      report(error);
    }
  }
}
