import { describe, expect, it } from 'vitest';
import { createFunnelCounter, funnelStepOf } from './funnel.js';

describe('funnel', () => {
  it('maps page views and e-commerce events to funnel steps', () => {
    expect(funnelStepOf({ type: 'page', name: 'Home' })).toBe('page');
    expect(funnelStepOf({ type: 'track', name: 'Product Viewed' })).toBe('product');
    expect(funnelStepOf({ type: 'track', name: 'Product Added' })).toBe('cart');
    expect(funnelStepOf({ type: 'track', name: 'Checkout Started' })).toBe('checkout');
    expect(funnelStepOf({ type: 'track', name: 'Order Completed' })).toBe('order');
    expect(funnelStepOf({ type: 'track', name: 'Element Clicked' })).toBeNull();
  });

  it('builds row-stochastic transition probabilities', () => {
    const counter = createFunnelCounter();
    counter.transition('start', 'page');
    counter.transition('page', 'product');
    counter.transition('page', 'exit');
    counter.transition('page', 'product');
    const { probabilities, states } = counter.result();
    const page = probabilities[states.indexOf('page')] ?? [];
    expect(page[states.indexOf('product')]).toBeCloseTo(2 / 3);
    expect(page[states.indexOf('exit')]).toBeCloseTo(1 / 3);
    for (const row of probabilities) {
      const sum = row.reduce((a, b) => a + b, 0);
      expect(sum === 0 || Math.abs(sum - 1) < 1e-9).toBe(true);
    }
  });

  it('reports the drop-off at each step from the deepest step sessions reached', () => {
    const counter = createFunnelCounter();
    for (let i = 0; i < 10; i++) counter.reached('page');
    for (let i = 0; i < 6; i++) counter.reached('product');
    for (let i = 0; i < 3; i++) counter.reached('cart');
    counter.reached('order');
    const { steps } = counter.result();
    expect(steps.map((s) => s.sessions)).toEqual([20, 10, 4, 1, 1]);
    expect(steps[1]?.dropOff).toBeCloseTo(0.5);
    expect(steps[2]?.conversion).toBeCloseTo(0.4);
    expect(steps[4]?.conversion).toBe(1);
  });
});
