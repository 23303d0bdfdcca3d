import type { SourceEvent } from '../types.js';

let counter = 0;

/** A source event for tests: a page view by default. */
export function makeEvent(overrides: Partial<SourceEvent> & { at: string | number }): SourceEvent {
  const { at, ...rest } = overrides;
  counter += 1;
  return {
    messageId: `m${counter}`,
    type: 'page',
    anonymousId: 'anon',
    userId: null,
    name: null,
    timestamp: typeof at === 'number' ? new Date(at).toISOString() : at,
    isBot: false,
    payload: {},
    ...rest,
  };
}

/** A track event for tests. */
export function makeTrack(
  name: string,
  at: string | number,
  properties: Record<string, unknown> = {},
  overrides: Partial<SourceEvent> = {},
): SourceEvent {
  return makeEvent({ at, type: 'track', name, payload: { properties }, ...overrides });
}
