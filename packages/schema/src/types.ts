export const EVENT_TYPES = ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

export const CONSENT_CATEGORIES = ['necessary', 'analytics', 'personalization', 'marketing'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];
export type ConsentCategories = Partial<Record<ConsentCategory, boolean>>;

export interface EventContext {
  page?: { url?: string; path?: string; referrer?: string; title?: string; search?: string };
  userAgent?: string;
  locale?: string;
  timezone?: string;
  screen?: { width?: number; height?: number; density?: number };
  library?: { name: string; version: string };
  campaign?: { name?: string; source?: string; medium?: string; term?: string; content?: string };
  app?: Record<string, unknown>;
  device?: Record<string, unknown>;
  os?: Record<string, unknown>;
  ip?: string;
  sessionId?: string | number;
  consent?: { categories: ConsentCategories };
  [key: string]: unknown;
}

interface BaseEvent {
  messageId: string;
  anonymousId?: string | null;
  userId?: string | null;
  timestamp?: string;
  /** The client's clock when the call was made: RudderStack's SDKs send it instead of `timestamp`. */
  originalTimestamp?: string;
  sentAt?: string;
  context?: EventContext;
  integrations?: Record<string, unknown>;
}

export interface TrackEvent extends BaseEvent {
  type: 'track';
  event: string;
  properties?: Record<string, unknown>;
}
export interface PageEvent extends BaseEvent {
  type: 'page';
  name?: string;
  category?: string;
  properties?: Record<string, unknown>;
}
export interface ScreenEvent extends BaseEvent {
  type: 'screen';
  name?: string;
  properties?: Record<string, unknown>;
}
export interface IdentifyEvent extends BaseEvent {
  type: 'identify';
  traits?: Record<string, unknown>;
}
export interface AliasEvent extends BaseEvent {
  type: 'alias';
  previousId: string;
}
export interface GroupEvent extends BaseEvent {
  type: 'group';
  groupId: string;
  traits?: Record<string, unknown>;
}

export type LoupeEvent = TrackEvent | PageEvent | ScreenEvent | IdentifyEvent | AliasEvent | GroupEvent;

export interface BatchRequest {
  batch: LoupeEvent[];
  sentAt?: string;
  writeKey?: string;
  context?: EventContext;
}

export interface RejectedEvent {
  index: number;
  path: string;
  message: string;
}

export interface SegmentRef {
  id: string;
  name: string;
  since?: string;
}

export interface BatchResponse {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
  segment?: SegmentRef | null;
}

export interface ProfileResponse {
  anonymousId: string;
  userId?: string;
  segment: SegmentRef | null;
  rfm?: { r: number; f: number; m: number; label: string };
}

export interface ConsentRecordInput {
  anonymousId: string;
  categories: ConsentCategories;
  source: 'banner' | 'api' | 'gpc' | 'tcf' | 'consent-mode' | string;
  policyVersion: string;
  timestamp: string;
  [key: string]: unknown;
}
