import { describe, expect, it, vi } from 'vitest';
import type { Tracker } from '../core/types.js';
import { replay } from './snippet.js';

describe('replay', () => {
  it('calls queued methods in order, nested ones on their owner', () => {
    const calls: string[] = [];
    const tracker = {
      track: (name: string) => calls.push(`track ${name}`),
      consent: {
        grant(this: unknown, categories: string[]) {
          calls.push(`grant ${categories} ${this === tracker.consent}`);
        },
      },
    } as unknown as Tracker & { consent: object };
    replay(
      tracker,
      [
        ['track', 'A'],
        ['consent.grant', ['analytics']],
        ['track', 'B'],
      ],
      () => {},
    );
    expect(calls).toEqual(['track A', 'grant analytics true', 'track B']);
  });

  it('reports an unknown method and goes on', () => {
    const track = vi.fn();
    const report = vi.fn();
    replay({ track } as unknown as Tracker, [['nope'], 'garbage', ['track', 'X']], report);
    expect(report).toHaveBeenCalledTimes(2);
    expect(track).toHaveBeenCalledWith('X');
  });
});
