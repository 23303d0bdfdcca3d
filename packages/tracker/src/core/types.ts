import type { Consent } from '@loupe/consent';
import type { LoupeEvent, SegmentRef } from '@loupe/schema';
import type { Cart } from './cart.js';
import type { Cancel } from './platform.js';
import type { DeliveryStats } from './stats.js';

export type Properties = Record<string, unknown>;

/** A visitor's segment as the page sees it. */
export type Segment = Pick<SegmentRef, 'id' | 'name'>;

export interface User {
  anonymousId: string;
  userId: string | null;
  traits: Properties;
}

/** The tracker's public API; no method throws into the host page. */
export interface Tracker {
  /** Resolves once the stored consent and identity are loaded. Calls made before are kept in order. */
  readonly ready: Promise<void>;
  track(event: string, properties?: Properties): void;
  page(name?: string, properties?: Properties): void;
  screen(name: string, properties?: Properties): void;
  identify(userId?: string | null, traits?: Properties): void;
  alias(userId: string, previousId?: string): void;
  group(groupId: string, traits?: Properties): void;
  /** Forgets the user: new anonymous id, no user id, no traits, new session. */
  reset(): void;
  anonymousId(): string;
  user(): User;
  /** Sends everything queued now. */
  flush(): Promise<void>;
  readonly cart: Cart;
  readonly consent: Consent;
  /** The visitor's segment from the last answer or the cache; null when none or not known yet. */
  segment(): Segment | null;
  /** Called with the segment once it is known and whenever it changes. */
  onSegment(listener: (segment: Segment | null) => void): Cancel;
  stats(): DeliveryStats;
  /** Called after each batch the collector acknowledged, with its events (a debug panel, tests). */
  onDelivered(listener: (events: readonly LoupeEvent[]) => void): Cancel;
  /** Stops capture plugins and timers (tests, single-page teardown). */
  destroy(): void;
}

/** What capture plugins get: the tracker, and hooks that run before the tracker sends on hide or leave. */
export interface PluginHost extends Tracker {
  onHide(listener: () => void): Cancel;
  onLeave(listener: () => void): Cancel;
}

/** A capture plugin; returns its teardown. */
export type Plugin = (host: PluginHost) => Cancel | undefined | void;
