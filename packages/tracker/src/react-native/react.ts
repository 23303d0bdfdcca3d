import { createContext, createElement, type ReactNode, useContext, useMemo, useSyncExternalStore } from 'react';
import { LoupeError } from '../core/errors.js';
import type { Segment, Tracker } from '../core/types.js';
import { segmentStore } from './segment-store.js';

const LoupeContext = createContext<Tracker | null>(null);

export interface LoupeProviderProps {
  tracker: Tracker;
  children?: ReactNode;
}

/** Makes `tracker` the one `useLoupe()` and `useSegment()` read. */
export function LoupeProvider({ tracker, children }: LoupeProviderProps): ReactNode {
  return createElement(LoupeContext.Provider, { value: tracker }, children);
}

/** The tracker given to the nearest `<LoupeProvider>`. */
export function useLoupe(): Tracker {
  const tracker = useContext(LoupeContext);
  if (!tracker) throw new LoupeError('config', 'loupe: useLoupe() needs a <LoupeProvider tracker={…}> above it');
  return tracker;
}

/**
 * The visitor's segment, re-rendering when it becomes known or changes; null while unknown, without
 * personalization consent, or when the visitor has none.
 *
 * @example
 * const segment = useSegment();
 * return segment?.id === 'power-users' ? <Offer /> : <Bestsellers />;
 */
export function useSegment(tracker?: Tracker): Segment | null {
  const provided = useContext(LoupeContext);
  const source = tracker ?? provided;
  if (!source) throw new LoupeError('config', 'loupe: useSegment() needs a tracker or a <LoupeProvider> above it');
  const store = useMemo(() => segmentStore(source), [source]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
