import { AUTO_EVENTS, CART_EVENTS } from '@loupe/schema';
import type { SourceEvent } from '../types.js';
import { type FunnelState, type FunnelStep, funnelStepOf, stepRank } from './funnel.js';
import { campaignOf, SESSION_GAP_MS, startsNewSession } from './sessionize.js';

const DAY_MS = 86_400_000;

/** The behavioral features of a profile, in the order of the model's vectors. */
export const FEATURE_NAMES = [
  'recency',
  'frequency',
  'monetary',
  'sessionsPerWeek',
  'sessionDuration',
  'pagesPerSession',
  'scrollDepth',
  'productViews',
  'cartAdds',
  'cartAbandonment',
  'viewToCart',
  'cartToPurchase',
  'purchaseVelocity',
  'daysActive',
  'tenure',
  'engagement',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
/** null marks a value that does not exist for this profile (a rate with no denominator). */
export type Features = Record<FeatureName, number | null>;

/** The visit in progress. */
export interface OpenSession {
  start: number;
  last: number;
  campaign: string;
  cartAdds: number;
  orders: number;
  /** Deepest scroll depth on the current page. */
  pageScroll: number;
  step: FunnelStep | null;
  deepest: FunnelStep | null;
}

/**
 * Everything kept per profile while events stream by: counters only, O(1) in the number of events,
 * and plain JSON so live assignment can store it and resume.
 */
export interface ProfileState {
  first: number;
  last: number;
  events: number;
  botEvents: number;
  /** Gaps under a second between a profile's events: humans rarely keep that pace. */
  rapidEvents: number;
  pages: number;
  sessions: number;
  sessionMs: number;
  scrollSum: number;
  productViews: number;
  cartAdds: number;
  cartSessions: number;
  abandonedSessions: number;
  orders: number;
  revenue: number;
  firstOrder: number | null;
  lastOrder: number | null;
  activeDays: number;
  /** The last active day, counted from `first` (see applyEvent). */
  lastDay: number;
  session: OpenSession | null;
}

/** Receives the funnel moves of each visit (a `FunnelCounter` fits). */
export interface SessionObserver {
  transition(from: FunnelState, to: FunnelState): void;
  reached(step: FunnelStep | null): void;
}

export function createProfileState(at: number): ProfileState {
  return {
    first: at,
    last: at,
    events: 0,
    botEvents: 0,
    rapidEvents: 0,
    pages: 0,
    sessions: 0,
    sessionMs: 0,
    scrollSum: 0,
    productViews: 0,
    cartAdds: 0,
    cartSessions: 0,
    abandonedSessions: 0,
    orders: 0,
    revenue: 0,
    firstOrder: null,
    lastOrder: null,
    activeDays: 0,
    lastDay: -1,
    session: null,
  };
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Order value: Segment's `revenue`, else `total`, else the sum of line items (`price × quantity`). */
export function orderValue(properties: Record<string, unknown> | undefined): number {
  if (!properties) return 0;
  if (typeof properties.revenue === 'number') return num(properties.revenue);
  if (typeof properties.total === 'number') return num(properties.total);
  const products = Array.isArray(properties.products) ? (properties.products as Record<string, unknown>[]) : [];
  if (products.length > 0) return products.reduce((sum, p) => sum + num(p.price) * (num(p.quantity) || 1), 0);
  return num(properties.price) * (num(properties.quantity) || 1);
}

/** Ends the visit in progress and folds it into the profile's counters. */
export function closeSession(state: ProfileState, observer?: SessionObserver): void {
  const s = state.session;
  if (s === null) return;
  state.sessions += 1;
  state.sessionMs += s.last - s.start;
  state.scrollSum += s.pageScroll;
  if (s.cartAdds > 0) {
    state.cartSessions += 1;
    if (s.orders === 0) state.abandonedSessions += 1;
  }
  if (observer) observeSessionEnd(s, observer);
  state.session = null;
}

/** Tells the funnel a visit ended (also used for visits still open when a run ends). */
export function observeSessionEnd(session: OpenSession, observer: SessionObserver): void {
  observer.transition(session.step ?? 'start', 'exit');
  observer.reached(session.deepest);
}

/** Folds one event into a profile; events of a profile must come in timestamp order. */
export function applyEvent(state: ProfileState, event: SourceEvent, observer?: SessionObserver): void {
  const at = Date.parse(event.timestamp);
  if (Number.isNaN(at)) return;
  if (state.events > 0 && at - state.last < 1000) state.rapidEvents += 1;
  state.events += 1;
  if (event.isBot) state.botEvents += 1;
  state.first = Math.min(state.first, at);
  state.last = Math.max(state.last, at);
  // Days are counted in 24-hour spans from the profile's first event, not by UTC date. By date, a
  // shopper whose evening straddles UTC midnight (most of the Americas) got two active days for one
  // visit, and the same history shifted by a few minutes could give another segmentation: the demo
  // named different segments when it was started just after midnight.
  const day = Math.floor((at - state.first) / DAY_MS);
  if (day !== state.lastDay) {
    state.activeDays += 1;
    state.lastDay = day;
  }

  const campaign = campaignOf(event);
  if (startsNewSession(state.session, at, campaign, SESSION_GAP_MS)) {
    closeSession(state, observer);
    state.session = { start: at, last: at, campaign, cartAdds: 0, orders: 0, pageScroll: 0, step: null, deepest: null };
  }
  const session = state.session as OpenSession;
  session.last = Math.max(session.last, at);
  if (campaign !== '') session.campaign = campaign;

  const step = funnelStepOf(event);
  if (step !== null && step !== session.step) {
    observer?.transition(session.step ?? 'start', step);
    session.step = step;
    if (session.deepest === null || stepRank(step) > stepRank(session.deepest)) session.deepest = step;
  }

  const properties = event.payload.properties;
  if (event.type === 'page' || event.type === 'screen') {
    state.pages += 1;
    state.scrollSum += session.pageScroll;
    session.pageScroll = 0;
    return;
  }
  if (event.type !== 'track') return;
  switch (event.name) {
    case AUTO_EVENTS.scrollDepthReached:
      session.pageScroll = Math.max(session.pageScroll, Math.min(100, num(properties?.depth)));
      break;
    case CART_EVENTS.productViewed:
      state.productViews += 1;
      break;
    case CART_EVENTS.productAdded:
      state.cartAdds += 1;
      session.cartAdds += 1;
      break;
    case CART_EVENTS.orderCompleted: {
      const value = orderValue(properties);
      // A negative order (a return booked as an order) reduces value but is not a purchase.
      if (value < 0) {
        state.revenue += value;
        break;
      }
      state.orders += 1;
      state.revenue += value;
      session.orders += 1;
      state.firstOrder = state.firstOrder === null ? at : Math.min(state.firstOrder, at);
      state.lastOrder = state.lastOrder === null ? at : Math.max(state.lastOrder, at);
      break;
    }
    case CART_EVENTS.orderRefunded:
      state.revenue -= Math.abs(orderValue(properties));
      break;
  }
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * Engagement in [0, 1]: 0.4 × visit frequency + 0.4 × depth + 0.2 × recency, where frequency is
 * 1 − e^(−sessionsPerWeek / 2), depth is the mean of 1 − e^(−pagesPerSession / 5) and scroll depth / 100,
 * and recency is e^(−days since last seen / 30). Each part saturates, so no single heavy user dominates.
 */
export function engagementScore(
  sessionsPerWeek: number,
  pagesPerSession: number,
  scrollDepth: number,
  recency: number,
): number {
  const frequency = 1 - Math.exp(-sessionsPerWeek / 2);
  const depth = 0.5 * (1 - Math.exp(-pagesPerSession / 5)) + 0.5 * (scrollDepth / 100);
  return 0.4 * frequency + 0.4 * depth + 0.2 * Math.exp(-recency / 30);
}

/** The features of a profile as of `asOf` (ms). The open visit counts as if it ended at its last event. */
export function computeFeatures(state: ProfileState, asOf: number): Features {
  const s = state.session;
  const sessions = state.sessions + (s ? 1 : 0);
  const sessionMs = state.sessionMs + (s ? s.last - s.start : 0);
  const scrollSum = state.scrollSum + (s ? s.pageScroll : 0);
  const cartSessions = state.cartSessions + (s && s.cartAdds > 0 ? 1 : 0);
  const abandoned = state.abandonedSessions + (s && s.cartAdds > 0 && s.orders === 0 ? 1 : 0);
  const recency = Math.max(0, (asOf - state.last) / DAY_MS);
  const tenure = Math.max(0, (asOf - state.first) / DAY_MS);
  // A week at least, so a one-day visitor does not read as seven visits a week.
  const sessionsPerWeek = sessions / Math.max(1, tenure / 7);
  const pagesPerSession = sessions === 0 ? 0 : state.pages / sessions;
  // No Scroll Depth Reached at all tells nothing about scrolling: an app's screens, capture switched
  // off, pages that fit the window. Read as 0 %, it made such profiles the shallowest readers there are.
  const scrollDepth = state.pages === 0 || scrollSum === 0 ? null : scrollSum / state.pages;
  const orderSpanDays =
    state.firstOrder !== null && state.lastOrder !== null ? (state.lastOrder - state.firstOrder) / DAY_MS : 0;
  return {
    recency,
    frequency: state.orders,
    monetary: state.revenue,
    sessionsPerWeek,
    sessionDuration: sessions === 0 ? 0 : sessionMs / sessions / 60_000,
    pagesPerSession,
    scrollDepth,
    productViews: state.productViews,
    cartAdds: state.cartAdds,
    cartAbandonment: ratio(abandoned, cartSessions),
    viewToCart: state.productViews === 0 ? null : Math.min(1, state.cartAdds / state.productViews),
    cartToPurchase: cartSessions === 0 ? null : Math.min(1, (cartSessions - abandoned) / cartSessions),
    // Orders per 30 days between the first and the last order; undefined with fewer than two orders.
    purchaseVelocity: state.orders < 2 ? null : (state.orders - 1) / Math.max(1, orderSpanDays / 30),
    daysActive: state.activeDays,
    tenure,
    engagement: engagementScore(sessionsPerWeek, pagesPerSession, scrollDepth ?? 0, recency),
  };
}
