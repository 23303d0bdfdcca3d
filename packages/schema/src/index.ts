/** @module @loupe/schema: the one wire contract (types and limits; zod lives in `./validate`). */
export type {
  AliasEvent,
  BatchRequest,
  BatchResponse,
  ConsentCategories,
  ConsentCategory,
  ConsentRecordInput,
  EventContext,
  EventType,
  GroupEvent,
  IdentifyEvent,
  LoupeEvent,
  PageEvent,
  ProfileResponse,
  RejectedEvent,
  ScreenEvent,
  SegmentRef,
  TrackEvent,
} from './types.js';
export { EVENT_TYPES, CONSENT_CATEGORIES, isEventType } from './types.js';
export { LIMITS } from './limits.js';
export { AUTO_EVENTS, CART_EVENTS } from './event-names.js';
export type { CartEventName } from './event-names.js';
