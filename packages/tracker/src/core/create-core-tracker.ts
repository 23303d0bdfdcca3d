import { type CategoryInput, type Consent, createConsent } from '@loupe/consent';
import type { EventType, LoupeEvent } from '@loupe/schema';
import { campaignKey } from './campaign.js';
import { createCart } from './cart.js';
import { createKvConsentStore } from './consent-store.js';
import { createDelivery } from './delivery.js';
import { LoupeError } from './errors.js';
import { createIdentity } from './identity.js';
import type { Cancel, Platform } from './platform.js';
import { createReadBack } from './read-back.js';
import { createStats } from './stats.js';
import type { Plugin, PluginHost, Properties, Tracker } from './types.js';
import { LIBRARY } from './version.js';

export interface CoreTrackerOptions {
  writeKey: string;
  /** The collector's base URL, path prefix included when it sits behind the site's own proxy. */
  host: string;
  platform: Platform;
  /** A consent gate shared with a banner or bridges; one is created over the platform's storage otherwise. */
  consent?: Consent;
  /** Categories on before the visitor decides (sites that need no banner). */
  consentDefaults?: CategoryInput;
  policyVersion?: string;
  plugins?: readonly Plugin[];
  flushAt?: number;
  flushIntervalMs?: number;
  maxQueueSize?: number;
  /** Events held in memory while the visitor has not answered; sent if they grant, dropped if not. */
  maxPendingConsent?: number;
  onError?: (error: unknown) => void;
}

type Draft = { type: EventType } & Record<string, unknown>;

/**
 * The platform-neutral tracker: builds events, gates them on consent, stamps identity and session,
 * and hands them to the durable delivery. Adapters only supply the `Platform`.
 *
 * @example
 * const tracker = createCoreTracker({ writeKey: 'wk_…', host: 'https://collector.example', platform });
 * tracker.consent.grant(['analytics']);
 * tracker.track('Signed Up', { plan: 'pro' });
 */
export function createCoreTracker(options: CoreTrackerOptions): Tracker {
  const { platform, writeKey, onError, maxPendingConsent = 100 } = options;
  if (!writeKey) throw new LoupeError('loupe: a writeKey is required');
  const host = options.host.replace(/\/+$/, '');
  const { kv } = platform.storage;
  const report = (error: unknown) => {
    try {
      onError?.(error);
    } catch {
      // The host's error hook must not break capture either.
    }
  };
  const stats = createStats();
  const consent =
    options.consent ??
    createConsent({
      store: createKvConsentStore(kv),
      now: platform.now,
      onError: report,
      ...(options.consentDefaults ? { defaults: options.consentDefaults } : {}),
      ...(options.policyVersion ? { policyVersion: options.policyVersion } : {}),
    });
  const identity = createIdentity(kv, platform.randomId, report);
  const readBack = createReadBack(kv, report);
  const deliveredListeners = new Set<(events: readonly LoupeEvent[]) => void>();
  const delivery = createDelivery({
    platform,
    writeKey,
    stats,
    batchUrl: `${host}/v1/batch`,
    onError: report,
    onAck: ({ segment }, events) => {
      if (segment !== undefined && consent.has('personalization')) readBack.set(segment, true);
      for (const listener of deliveredListeners) safe(listener, undefined)(events);
    },
    ...(options.flushAt ? { flushAt: options.flushAt } : {}),
    ...(options.flushIntervalMs ? { flushIntervalMs: options.flushIntervalMs } : {}),
    ...(options.maxQueueSize ? { maxQueueSize: options.maxQueueSize } : {}),
  });

  let isReady = false;
  let active = false;
  const early: (() => void)[] = [];
  let pending: LoupeEvent[] = [];
  // Activation and purge touch the same keys and queue: one at a time, in order.
  let serial: Promise<void> = Promise.resolve();
  const inOrder = (task: () => Promise<void>) => {
    serial = serial.then(task).catch(report);
  };
  const later = (task: () => void) => (isReady ? task() : early.push(task));

  const refreshSegment = () => {
    const { anonymousId } = identity.user();
    const url = `${host}/v1/profile?anonymousId=${encodeURIComponent(anonymousId)}&writeKey=${encodeURIComponent(writeKey)}`;
    readBack.refresh(() => platform.transport.send({ method: 'GET', url })).catch(report);
  };

  const enqueue = (event: LoupeEvent) => {
    const context = (event.context ??= {});
    context.sessionId = identity.session(Date.parse(event.timestamp ?? ''), campaignKey(context.campaign));
    const { analytics, personalization, marketing } = consent.get().categories;
    context.consent = { categories: { analytics, personalization, marketing } };
    delivery.add(event);
  };

  const dispatch = (event: LoupeEvent) => {
    const { anonymousId, userId } = identity.user();
    event.anonymousId = anonymousId;
    if (userId) event.userId = userId;
    if (active) enqueue(event);
    else if (consent.get().decided && !consent.has('analytics')) stats.droppedNoConsent++;
    else if (pending.push(event) > maxPendingConsent) {
      pending.shift();
      stats.droppedNoConsent++;
    }
  };

  const capture = (draft: Draft, before?: (event: Draft) => void, pageProperties = false) => {
    const time = platform.now();
    const context = { ...platform.context(), library: LIBRARY };
    const built: Draft = { ...draft, messageId: platform.randomId(), timestamp: new Date(time).toISOString(), context };
    if (pageProperties) built.properties = { ...context.page, ...(draft.properties as Properties) };
    let event: Draft;
    try {
      // A snapshot: later changes by the host page do not reach the event, and what cannot be sent
      // (cycles, BigInt) fails here, in the caller's try, instead of blocking the queue later.
      event = JSON.parse(JSON.stringify(built)) as Draft;
    } catch (cause) {
      stats.droppedInvalid++;
      report(new LoupeError('loupe: event properties are not serializable', { cause }));
      return;
    }
    later(() => {
      before?.(event);
      dispatch(event as unknown as LoupeEvent);
    });
  };

  const activate = async () => {
    if (active || !consent.has('analytics')) return;
    await identity.persist();
    active = true;
    const released = pending;
    pending = [];
    for (const event of released) enqueue(event);
    if (consent.has('personalization')) refreshSegment();
    else readBack.set(null, false);
    await delivery.flush();
  };

  const purge = async () => {
    active = false;
    pending = [];
    readBack.set(null, false);
    await delivery.purge();
    await identity.forget();
  };

  consent.onChange(({ state, previous, withdrawn }) => {
    if (withdrawn.includes('analytics')) inOrder(purge);
    else if (withdrawn.includes('personalization')) {
      readBack.set(null, false);
      kv.remove('segment').catch(report);
    }
    if (state.decided && !state.categories.analytics) {
      stats.droppedNoConsent += pending.length;
      pending = [];
    }
    if (state.categories.analytics && !previous.categories.analytics) inOrder(activate);
    else if (active && state.categories.personalization && !previous.categories.personalization) refreshSegment();
  });

  const ready = consent.ready
    .then(() => {
      inOrder(activate);
      return serial;
    })
    .then(() => {
      if (!consent.has('personalization')) readBack.set(null, false);
      isReady = true;
      for (const task of early.splice(0)) task();
    });

  const safe =
    <A extends unknown[], R>(fn: (...args: A) => R, fallback: R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (error) {
        report(error);
        return fallback;
      }
    };

  const track = safe((event: string, properties: Properties = {}) => capture({ type: 'track', event: String(event), properties }), undefined);
  const hideHooks = new Set<() => void>();
  const leaveHooks = new Set<() => void>();
  const runHooks = (hooks: Set<() => void>) => {
    for (const hook of hooks) safe(hook, undefined)();
  };
  const teardown: Cancel[] = [
    platform.lifecycle.onHide(() => {
      runHooks(hideHooks);
      if (active) delivery.flush(true).catch(report);
    }),
    platform.lifecycle.onLeave(() => {
      runHooks(leaveHooks);
      if (active) delivery.leave();
    }),
    platform.lifecycle.onOnline(() => active && delivery.retryNow()),
  ];

  const tracker: Tracker = {
    ready,
    track,
    page: safe((name?: string, properties: Properties = {}) => capture({ type: 'page', ...(name ? { name } : {}), properties }, undefined, true), undefined),
    screen: safe((name: string, properties: Properties = {}) => capture({ type: 'screen', name, properties }), undefined),
    identify: safe(
      (userId?: string | null, traits: Properties = {}) =>
        capture({ type: 'identify', traits }, () => identity.setUser(userId === undefined ? identity.user().userId : userId && String(userId), traits)),
      undefined,
    ),
    alias: safe(
      (userId: string, previousId?: string) =>
        capture({ type: 'alias', previousId: previousId ?? '' }, (event) => {
          const user = identity.user();
          event.previousId = previousId ?? user.userId ?? user.anonymousId;
          identity.setUser(String(userId));
        }),
      undefined,
    ),
    group: safe((groupId: string, traits: Properties = {}) => capture({ type: 'group', groupId: String(groupId), traits }), undefined),
    reset: safe(
      () =>
        later(() => {
          identity.reset();
          readBack.set(null, false);
        }),
      undefined,
    ),
    anonymousId: () => identity.user().anonymousId,
    user: () => ({ ...identity.user() }),
    flush: () => ready.then(() => (active ? delivery.flush() : undefined)).catch(report),
    cart: createCart(track),
    consent,
    segment: () => readBack.get() ?? null,
    onSegment: (listener) => readBack.onChange(safe(listener, undefined)),
    stats: () => ({ ...stats }),
    onDelivered: (listener) => (deliveredListeners.add(listener), () => deliveredListeners.delete(listener)),
    destroy() {
      for (const cancel of teardown.splice(0)) safe(cancel, undefined)();
    },
  };

  const host_: PluginHost = {
    ...tracker,
    onHide: (listener) => (hideHooks.add(listener), () => hideHooks.delete(listener)),
    onLeave: (listener) => (leaveHooks.add(listener), () => leaveHooks.delete(listener)),
  };
  for (const plugin of options.plugins ?? []) {
    const stop = safe(plugin, undefined)(host_);
    if (stop) teardown.push(stop);
  }
  return tracker;
}
