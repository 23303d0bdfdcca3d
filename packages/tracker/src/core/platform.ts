import type { EventContext, LoupeEvent } from '@loupe/schema';

/** One queued event and the key the store gave it (insertion order). */
export interface QueuedEvent {
  key: number;
  event: LoupeEvent;
}

/**
 * The durable event queue. Every method is async so IndexedDB, AsyncStorage or a file fit behind it.
 * Several pages may share one queue; `exclusive` keeps their senders from reading the same events.
 */
export interface QueueStore {
  /** Appends in order. */
  push(events: readonly LoupeEvent[]): Promise<void>;
  /** The oldest `limit` events, oldest first. */
  peek(limit: number): Promise<QueuedEvent[]>;
  remove(keys: readonly number[]): Promise<void>;
  count(): Promise<number>;
  /** Deletes the queue and whatever holds it (the IndexedDB database, the file). */
  clear(): Promise<void>;
  /** Runs `task` while no other page or process sharing this queue runs one. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

/** Small string values (ids, session, cached segment). Reads may be sync under the hood; the interface is not. */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** Optional: another page changed `key` (used to follow consent across tabs). */
  subscribe?(key: string, listener: (value: string | null) => void): () => void;
}

export interface TrackerStorage {
  kv: KeyValueStore;
  queue: QueueStore;
}

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: string;
  /** The page is going away: the request must outlive it (fetch `keepalive`). */
  keepalive?: boolean;
}

/** `status` 0 means the request did not get an answer (offline, aborted, CORS). Never rejects. */
export interface TransportResponse {
  status: number;
  /** The `Retry-After` header; absent or null without one (and without an answer). */
  retryAfter?: string | null | undefined;
  /** The parsed JSON answer; absent or null when there is none. */
  body?: unknown;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Fire-and-forget for a page being unloaded (sendBeacon); false when the platform refused it. */
  beacon(url: string, body: string): boolean;
}

export type Cancel = () => void;

/** When things happen on this platform: app/page visibility, connectivity, timers. */
export interface Lifecycle {
  /** The page or app went to the background: still alive, a good time to send. */
  onHide(listener: () => void): Cancel;
  /** The page is being unloaded: only synchronous work (a beacon) will finish. */
  onLeave(listener: () => void): Cancel;
  onOnline(listener: () => void): Cancel;
  setTimer(callback: () => void, ms: number): Cancel;
}

/** Everything the core needs from a platform, passed as a value. */
export interface Platform {
  storage: TrackerStorage;
  transport: Transport;
  lifecycle: Lifecycle;
  now(): number;
  randomId(): string;
  /** The context of an event captured now (page, screen, locale…); called once per event. */
  context(): EventContext;
}
