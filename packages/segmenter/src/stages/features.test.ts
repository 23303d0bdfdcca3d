import { describe, expect, it } from 'vitest';
import { makeEvent, makeTrack } from '../testing/events.js';
import { applyEvent, computeFeatures, createProfileState, engagementScore } from './features.js';
import { createFunnelCounter } from './funnel.js';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const min = 60_000;
const day = 86_400_000;

function stateOf(events: ReturnType<typeof makeEvent>[]) {
  const first = events[0];
  const state = createProfileState(first ? Date.parse(first.timestamp) : 0);
  const funnel = createFunnelCounter();
  for (const e of events) applyEvent(state, e, funnel);
  return { state, funnel };
}

describe('features', () => {
  it('counts visits split by 30 minutes of inactivity, with their duration and pages', () => {
    const { state } = stateOf([
      makeEvent({ at: T0 }),
      makeEvent({ at: T0 + 10 * min }),
      makeEvent({ at: T0 + 20 * min }),
      makeEvent({ at: T0 + 2 * day }),
    ]);
    const f = computeFeatures(state, T0 + 2 * day);
    expect(state.sessions + (state.session ? 1 : 0)).toBe(2);
    expect(f.pagesPerSession).toBe(2);
    expect(f.sessionDuration).toBeCloseTo(10);
    expect(f.daysActive).toBe(2);
    expect(f.tenure).toBeCloseTo(2);
  });

  it('counts active days in 24-hour spans from the first event, so a visit across UTC midnight is one day', () => {
    const evening = Date.parse('2024-03-01T23:40:00Z'); // 6:40 pm in New York
    const { state } = stateOf([
      makeEvent({ at: evening }),
      makeEvent({ at: evening + 15 * min }), // 23:55
      makeEvent({ at: evening + 35 * min }), // 00:15 the next UTC day
    ]);
    expect(computeFeatures(state, evening + 2 * day).daysActive).toBe(1);
    const { state: twice } = stateOf([
      makeEvent({ at: evening }),
      makeEvent({ at: evening + 35 * min }),
      makeEvent({ at: evening + day + 10 * min }), // the next evening: a second day
    ]);
    expect(computeFeatures(twice, evening + 2 * day).daysActive).toBe(2);
  });

  it('gives the same features to a history shifted by any number of minutes (segments do not depend on when a run starts)', () => {
    const offsets = [0, 3, 17, 22 * 60 + 5, 45, 299];
    const history = [0, 20 * min, 9 * 60 * min, day + 2 * 60 * min, 3 * day + 23 * 60 * min, 6 * day];
    const featuresAt = (shiftMinutes: number) => {
      const start = Date.parse('2024-03-01T00:00:00Z') + shiftMinutes * min;
      const { state } = stateOf(history.map((t) => makeEvent({ at: start + t })));
      return computeFeatures(state, start + 10 * day);
    };
    const reference = featuresAt(0);
    expect(reference.daysActive).toBe(4);
    for (const shift of offsets) expect(featuresAt(shift)).toEqual(reference);
  });

  it('sums order revenue and lets refunds reduce monetary value', () => {
    const { state } = stateOf([
      makeTrack('Order Completed', T0, { revenue: 100 }),
      makeTrack('Order Completed', T0 + 31 * day, { products: [{ price: 10, quantity: 3 }] }),
      makeTrack('Order Refunded', T0 + 32 * day, { revenue: 25 }),
    ]);
    const f = computeFeatures(state, T0 + 40 * day);
    expect(f.frequency).toBe(2);
    expect(f.monetary).toBe(105);
    expect(f.recency).toBeCloseTo(8);
    expect(f.purchaseVelocity).toBeCloseTo(1 / (31 / 30));
  });

  it('leaves rates undefined when their denominator is zero', () => {
    const { state } = stateOf([makeEvent({ at: T0 })]);
    const f = computeFeatures(state, T0);
    expect(f.viewToCart).toBeNull();
    expect(f.cartAbandonment).toBeNull();
    expect(f.cartToPurchase).toBeNull();
    expect(f.purchaseVelocity).toBeNull();
  });

  it('measures cart abandonment per visit with a cart', () => {
    const { state } = stateOf([
      makeTrack('Product Viewed', T0),
      makeTrack('Product Added', T0 + min),
      makeTrack('Product Viewed', T0 + day),
      makeTrack('Product Added', T0 + day + min),
      makeTrack('Order Completed', T0 + day + 2 * min, { revenue: 20 }),
    ]);
    const f = computeFeatures(state, T0 + 2 * day);
    expect(f.cartAbandonment).toBe(0.5);
    expect(f.cartToPurchase).toBe(0.5);
    expect(f.viewToCart).toBe(1);
  });

  it('averages the deepest scroll per page', () => {
    const { state } = stateOf([
      makeEvent({ at: T0 }),
      makeTrack('Scroll Depth Reached', T0 + 1000, { depth: 25 }),
      makeTrack('Scroll Depth Reached', T0 + 2000, { depth: 75 }),
      makeEvent({ at: T0 + 3000 }),
    ]);
    expect(computeFeatures(state, T0 + 3000).scrollDepth).toBeCloseTo(37.5);
  });

  it('has no scroll depth for a profile that never sent a scroll event (an app, capture off, short pages)', () => {
    const { state } = stateOf([makeEvent({ at: T0 }), makeEvent({ at: T0 + 1000 }), makeEvent({ at: T0 + 2000 })]);
    expect(computeFeatures(state, T0 + 3000).scrollDepth).toBeNull();
  });

  it('flags a profile firing events faster than once a second', () => {
    const { state } = stateOf([makeEvent({ at: T0 }), makeEvent({ at: T0 + 200 }), makeEvent({ at: T0 + 400 })]);
    expect(state.rapidEvents).toBe(2);
  });

  it('feeds each visit into the funnel', () => {
    const { state, funnel } = stateOf([
      makeEvent({ at: T0 }),
      makeTrack('Product Viewed', T0 + 1000),
      makeTrack('Product Added', T0 + 2000),
      makeEvent({ at: T0 + day }),
    ]);
    expect(state.session).not.toBeNull();
    const { steps } = funnel.result();
    expect(steps.map((s) => s.sessions)).toEqual([1, 1, 1, 0, 0]);
  });

  it('keeps engagement within [0, 1] and rising with activity', () => {
    expect(engagementScore(0, 0, 0, 365)).toBeGreaterThanOrEqual(0);
    expect(engagementScore(50, 50, 100, 0)).toBeLessThanOrEqual(1);
    expect(engagementScore(3, 6, 60, 2)).toBeGreaterThan(engagementScore(0.5, 2, 20, 40));
  });
});
