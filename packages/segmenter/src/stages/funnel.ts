import { CART_EVENTS } from '@loupe/schema';
import type { SourceEvent } from '../types.js';

/** The steps of the shopping funnel, in order. */
export const FUNNEL_STEPS = ['page', 'product', 'cart', 'checkout', 'order'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];
/** Markov chain states: the steps plus where a visit enters and leaves. */
export const FUNNEL_STATES = ['start', ...FUNNEL_STEPS, 'exit'] as const;
export type FunnelState = (typeof FUNNEL_STATES)[number];

const STEP_OF_EVENT: Record<string, FunnelStep> = {
  [CART_EVENTS.productViewed]: 'product',
  [CART_EVENTS.productAdded]: 'cart',
  [CART_EVENTS.cartViewed]: 'cart',
  [CART_EVENTS.checkoutStarted]: 'checkout',
  [CART_EVENTS.orderCompleted]: 'order',
};

/** The funnel step an event shows, or null for events outside the funnel (clicks, scrolls, identify). */
export function funnelStepOf(event: Pick<SourceEvent, 'type' | 'name'>): FunnelStep | null {
  if (event.type === 'page' || event.type === 'screen') return 'page';
  if (event.type === 'track' && event.name !== null) return STEP_OF_EVENT[event.name] ?? null;
  return null;
}

export interface FunnelStepFigures {
  step: FunnelStep;
  /** Sessions that reached this step (or a later one). */
  sessions: number;
  /** Share of the previous step's sessions that reached this one (1 for the first step). */
  conversion: number;
  /** 1 − conversion: the drop-off on the way into this step. */
  dropOff: number;
}

export interface Funnel {
  states: readonly FunnelState[];
  /** transitions[from][to]: how often a visit moved between two states (repeats of one state count once). */
  counts: number[][];
  /** Row-normalized counts: the Markov chain's transition probabilities. */
  probabilities: number[][];
  steps: FunnelStepFigures[];
}

/** Counts funnel transitions as sessions stream by; `result()` builds the Markov chain. */
export interface FunnelCounter {
  transition(from: FunnelState, to: FunnelState): void;
  /** Records the deepest step a finished session reached. */
  reached(step: FunnelStep | null): void;
  result(): Funnel;
}

export function createFunnelCounter(): FunnelCounter {
  const n = FUNNEL_STATES.length;
  const counts = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const deepest = new Array<number>(FUNNEL_STEPS.length).fill(0);
  return {
    transition(from, to) {
      const row = counts[FUNNEL_STATES.indexOf(from)];
      const j = FUNNEL_STATES.indexOf(to);
      if (row) row[j] = (row[j] ?? 0) + 1;
    },
    reached(step) {
      if (step === null) return;
      const i = FUNNEL_STEPS.indexOf(step);
      deepest[i] = (deepest[i] ?? 0) + 1;
    },
    result() {
      const probabilities = counts.map((row) => {
        const total = row.reduce((a, b) => a + b, 0);
        return row.map((c) => (total === 0 ? 0 : c / total));
      });
      // Sessions reaching step i = sessions whose deepest step is i or later.
      const reaching = deepest.map((_, i) => deepest.slice(i).reduce((a, b) => a + b, 0));
      const steps = FUNNEL_STEPS.map((step, i) => {
        const sessions = reaching[i] ?? 0;
        const before = i === 0 ? sessions : (reaching[i - 1] ?? 0);
        const conversion = before === 0 ? 0 : sessions / before;
        return { step, sessions, conversion, dropOff: i === 0 ? 0 : 1 - conversion };
      });
      return { states: FUNNEL_STATES, counts: counts.map((r) => [...r]), probabilities, steps };
    },
  };
}

/** Rank of a step in the funnel, for "deepest step reached". */
export function stepRank(step: FunnelStep): number {
  return FUNNEL_STEPS.indexOf(step);
}
