/**
 * Where a decision is kept once it is made. Async so that localStorage, a cookie jar or React
 * Native's AsyncStorage fit the same interface.
 */
export interface ConsentStore {
  load(): Promise<string | null | undefined>;
  save(value: string): Promise<void>;
  /** Optional: tells about a decision saved elsewhere (another tab), so every open page follows it. */
  subscribe?(listener: (value: string | null) => void): () => void;
}

/** A store that keeps the decision in memory only (tests, server rendering, opt-out of persistence). */
export function createMemoryConsentStore(initial: string | null = null): ConsentStore {
  let value = initial;
  return {
    load: async () => value,
    save: async (next) => {
      value = next;
    },
  };
}
