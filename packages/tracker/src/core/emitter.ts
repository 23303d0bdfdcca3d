import type { Cancel } from './platform.js';

export interface Emitter<T> {
  on(listener: (value: T) => void): Cancel;
  /** Calls every listener; one that throws is reported and the others still run. */
  emit(value: T): void;
}

export function createEmitter<T>(report: (error: unknown) => void): Emitter<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    on: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    emit(value) {
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          report(error);
        }
      }
    },
  };
}
