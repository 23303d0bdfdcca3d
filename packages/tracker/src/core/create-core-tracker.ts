import { type CategoryInput, type Consent, type ConsentGateOptions, createConsentGate } from '@loupe/consent';
import { type EventType, LIMITS, type LoupeEvent } from '@loupe/schema';
import { createCart } from './cart.js';
import { createKvConsentStore } from './consent-store.js';
import { createDelivery } from './delivery.js';
import { createEmitter } from './emitter.js';
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
  /** On withdrawal of analytics, ask the collector to erase what it holds for this browser's anonymous id. */
  eraseOnRevoke?: boolean;
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
  const { platform, writeKey, maxPendingConsent = 100 } = options;
  if (!writeKey) throw new LoupeError('config', 'loupe: no writeKey');
  const host = options.host.replace(/\/+$/, '');
  const { lifecycle } = platform;
  const { kv } = platform.storage;
  const report = (error: unknown) => {
    try {
      options.onError?.(error);
    } catch {
      // The host's error hook must not break capture either.
    }
  };
  const safe =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        report(error);
      }
    };
  const stats = createStats();
  const consent =
    options.consent ??
    // Absent options are undefined: the gate's defaults apply (no defaults, policy version "1").
    createConsentGate({
      store: createKvConsentStore(kv),
      now: platform.now,
      randomId: platform.randomId,
      onError: report,
      defaults: options.consentDefaults,
      policyVersion: options.policyVersion || undefined,
    } as ConsentGateOptions);
  const identity = createIdentity(kv, platform.randomId, report);
  const readBack = createReadBack(kv, report);
  const delivered = createEmitter<readonly LoupeEvent[]>(report);
  const delivery = createDelivery({
    ...options,
    stats,
    batchUrl: `${host}/v1/batch`,
    onError: report,
    onAck: (segment, events) => {
      if (segment !== undefined && consent.has('personalization')) readBack.set(segment, true);
      delivered.emit(events);
    },
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
  const has = (category: 'analytics' | 'personalization') => consent.has(category);

  const refreshSegment = () => {
    const query = `anonymousId=${encodeURIComponent(identity.user().anonymousId)}&writeKey=${encodeURIComponent(writeKey)}`;
    readBack.refresh(platform.transport.send({ method: 'GET', url: `${host}/v1/profile?${query}` })).catch(report);
  };

  const enqueue = (event: LoupeEvent) => {
    const context = (event.context ??= {});
    context.sessionId = identity.session(Date.parse(event.timestamp as string), context.campaign);
    // The wire's three categories: `necessary` is always on and is not sent.
    const { necessary: _, ...categories } = consent.get().categories;
    context.consent = { categories };
    delivery.add(event);
  };

  const dispatch = (event: LoupeEvent) => {
    const { anonymousId, userId } = identity.user();
    event.anonymousId = anonymousId;
    if (userId) event.userId = userId;
    if (active) enqueue(event);
    else if (!has('analytics')) {
      if (consent.get().decided) stats.droppedNoConsent++;
      // Bounded only while the visitor has not answered: once analytics is granted, what comes in
      // before activation has run is handed over whole (#3: events were dropped in that instant).
      else if (pending.push(event) > maxPendingConsent) {
        pending.shift();
        stats.droppedNoConsent++;
      }
    } else pending.push(event);
  };

  const capture = (draft: Draft, before?: (event: Draft) => void) => {
    const context = { ...platform.context(), library: LIBRARY };
    if (draft.type === 'page') draft.properties = { ...context.page, ...(draft.properties as Properties) };
    // A snapshot: later changes by the host page do not reach the event, and what cannot be sent
    // (cycles, BigInt) throws here, inside the caller's guard, instead of blocking the queue later.
    let json: string;
    const now = platform.now();
    try {
      json = JSON.stringify({
        ...draft,
        // Time first (base 36 milliseconds, then the random id): ids from one site sort by time,
        // so the collector's message-id index grows at its end instead of at random pages.
        messageId: now.toString(36) + platform.randomId(),
        timestamp: new Date(now).toISOString(),
        context,
      });
    } catch (cause) {
      stats.droppedInvalid++;
      throw new LoupeError('invalid', undefined, undefined, cause);
    }
    if (json.length > LIMITS.maxEventBytes) {
      stats.droppedTooLarge++;
      throw new LoupeError('invalid');
    }
    const event = JSON.parse(json) as Draft;
    later(() => {
      before?.(event);
      dispatch(event as unknown as LoupeEvent);
    });
  };

  const activate = async () => {
    if (active || !has('analytics')) return;
    await identity.load();
    active = true;
    for (const event of pending.splice(0)) enqueue(event);
    if (has('personalization')) refreshSegment();
    else readBack.set(null, false);
    await delivery.flush();
  };

  consent.onChange(({ state, previous, withdrawn }) => {
    if (withdrawn.includes('analytics')) {
      active = false;
      // The transport never rejects; the erase request goes before the id is forgotten.
      if (options.eraseOnRevoke)
        void platform.transport.send({
          method: 'POST',
          url: `${host}/v1/erase`,
          body: JSON.stringify({ writeKey, anonymousId: identity.user().anonymousId }),
        });
      inOrder(async () => {
        await delivery.purge();
        await identity.forget();
      });
    }
    if (withdrawn.length > 0) {
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
      if (!has('personalization')) readBack.set(null, false);
      isReady = true;
      for (const task of early.splice(0)) task();
    });

  const track = safe((event: string, properties: Properties = {}) =>
    capture({ type: 'track', event: String(event), properties }),
  );
  const teardown: (Cancel | undefined | void)[] = [];

  const tracker: Tracker = {
    ready,
    track,
    // An empty name is left out (the snapshot drops undefined).
    page: safe((name?: string, properties: Properties = {}) =>
      capture({ type: 'page', name: name || undefined, properties }),
    ),
    screen: safe((name: string, properties: Properties = {}) => capture({ type: 'screen', name, properties })),
    identify: safe((userId?: string | null, traits: Properties = {}) =>
      capture({ type: 'identify', traits }, () =>
        identity.setUser(userId === undefined ? identity.user().userId : userId && String(userId), traits),
      ),
    ),
    alias: safe((userId: string, previousId?: string) =>
      capture({ type: 'alias' }, (event) => {
        const user = identity.user();
        event.previousId = previousId ?? user.userId ?? user.anonymousId;
        identity.setUser(String(userId));
      }),
    ),
    group: safe((groupId: string, traits: Properties = {}) =>
      capture({ type: 'group', groupId: String(groupId), traits }),
    ),
    reset: safe(() =>
      later(() => {
        identity.reset();
        readBack.set(null, false);
      }),
    ),
    anonymousId: () => identity.user().anonymousId,
    user: () => ({ ...identity.user() }),
    flush: () => ready.then((): unknown => active && delivery.flush()).catch(report) as Promise<void>,
    cart: createCart(track),
    consent,
    segment: () => readBack.get() ?? null,
    onSegment: (listener) => readBack.onChange(safe(listener)),
    onDelivered: delivered.on,
    stats: () => ({ ...stats }),
    destroy: () => {
      for (const cancel of teardown.splice(0)) cancel?.();
    },
  };

  const pluginHost: PluginHost = {
    ...tracker,
    onHide: (listener) => lifecycle.onHide(safe(listener)),
    onLeave: (listener) => lifecycle.onLeave(safe(listener)),
  };
  for (const plugin of options.plugins ?? []) safe(() => teardown.push(plugin(pluginHost)))();
  // After the plugins': their hide and leave hooks (page engagement) capture before this sends.
  teardown.push(
    lifecycle.onHide(() => active && delivery.flush(true).catch(report)),
    lifecycle.onLeave(() => active && delivery.leave()),
    lifecycle.onOnline(() => active && delivery.retryNow()),
  );
  return tracker;
}
