/** Counters for everything the tracker did with events, dropped ones by reason: nothing is lost silently. */
export interface DeliveryStats {
  /** Events the collector acknowledged (stored now or earlier, as duplicates). */
  delivered: number;
  duplicates: number;
  /** Refused one by one by the collector (invalid): dropped, never retried. */
  rejected: number;
  /** Oldest events dropped to keep the queue within `maxQueueSize`. */
  droppedQueueFull: number;
  /** Events over the 32 KB limit, or a request refused as too large with one event in it. */
  droppedTooLarge: number;
  /** Requests the collector refused as a whole (400). */
  droppedInvalid: number;
  /** Events captured while consent was denied. */
  droppedNoConsent: number;
  /** Events the queue could not store. */
  droppedStorage: number;
  retries: number;
}

export function createStats(): DeliveryStats {
  return {
    delivered: 0,
    duplicates: 0,
    rejected: 0,
    droppedQueueFull: 0,
    droppedTooLarge: 0,
    droppedInvalid: 0,
    droppedNoConsent: 0,
    droppedStorage: 0,
    retries: 0,
  };
}
