import { describe, expect, it } from 'vitest';
import { newDepths } from './scroll-math.js';

describe('newDepths', () => {
  it('reports each threshold the bottom of the viewport has passed', () => {
    expect(newDepths(0, 1000, 4000, new Set())).toEqual([25]);
    expect(newDepths(1000, 1000, 4000, new Set([25]))).toEqual([50]);
    expect(newDepths(3000, 1000, 4000, new Set([25, 50]))).toEqual([75, 100]);
  });

  it('does not report a depth twice', () => {
    expect(newDepths(3000, 1000, 4000, new Set([25, 50, 75, 100]))).toEqual([]);
  });

  it('counts the bottom as reached despite sub-pixel layout', () => {
    expect(newDepths(2998.5, 1000, 4000, new Set([25, 50, 75]))).toEqual([100]);
  });

  it('reports nothing for a page that does not scroll', () => {
    expect(newDepths(0, 1000, 800, new Set())).toEqual([]);
  });
});
