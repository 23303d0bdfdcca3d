import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsFast } from './fast-path.js';
import { eventSchema } from './validate.js';

const text = (max: number) =>
  fc.oneof(fc.string({ maxLength: 8 }), fc.string({ minLength: max - 1, maxLength: max + 1 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const id = fc.oneof(
  text(256),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
  fc.constant(''),
  fc.boolean(),
);
const date = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 10 }),
  fc.integer(),
);
const dict = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
  fc.array(fc.integer()),
  fc.string(),
  fc.constant(null),
);
const context = fc.oneof(
  fc.record(
    {
      page: maybe(dict),
      userAgent: maybe(fc.oneof(text(1024), fc.integer())),
      sessionId: maybe(fc.oneof(text(128), fc.integer(), fc.boolean())),
      consent: maybe(
        fc.oneof(
          fc.record({
            categories: fc.oneof(
              fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.boolean(), fc.integer())),
              fc.constant(1),
            ),
          }),
          fc.constant('x'),
        ),
      ),
      locale: maybe(fc.string()),
    },
    { requiredKeys: [] },
  ),
  fc.string(),
  fc.constant(null),
);
const event = fc.record(
  {
    type: fc.constantFrom('track', 'page', 'screen', 'identify', 'alias', 'group', 'other', 1),
    messageId: fc.oneof(text(100), fc.integer(), fc.constant('')),
    anonymousId: maybe(id),
    userId: maybe(id),
    timestamp: maybe(date),
    sentAt: maybe(date),
    context: maybe(context),
    integrations: maybe(dict),
    event: maybe(fc.oneof(text(256), fc.constant(''), fc.integer())),
    name: maybe(fc.oneof(text(512), fc.constant(null), fc.integer())),
    category: maybe(fc.oneof(text(512), fc.constant(null))),
    properties: maybe(dict),
    traits: maybe(dict),
    previousId: maybe(id),
    groupId: maybe(id),
    extra: maybe(fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);

describe('acceptsFast', () => {
  it('gives the same verdict and the same normalized event as the zod schema, for any event', () => {
    fc.assert(
      fc.property(event, (raw) => {
        const input = structuredClone(raw);
        const zod = eventSchema.safeParse(structuredClone(raw));
        const fast = acceptsFast(input);
        expect(fast).toBe(zod.success);
        if (fast && zod.success) expect(input).toEqual(zod.data);
        if (!fast) expect(input).toEqual(raw); // handed to zod untouched
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  it('accepts a typical tracker event and turns numeric ids into strings', () => {
    const e: Record<string, unknown> = { type: 'identify', messageId: 'm-1', userId: 42, traits: { plan: 'pro' } };
    expect(acceptsFast(e)).toBe(true);
    expect(e.userId).toBe('42');
  });

  it('leaves an event with neither id to zod, which names the problem', () => {
    const e = { type: 'track', event: 'X', messageId: 'm-2' };
    expect(acceptsFast(e)).toBe(false);
    const parsed = eventSchema.safeParse(e);
    expect(parsed.success).toBe(false);
  });
});
