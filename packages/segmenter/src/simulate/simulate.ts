import type { LoupeEvent } from '@loupe/schema';
import { createRng, type Rng } from '../random.js';
import { PERSONA_MODELS, type PersonaId, type PersonaModel, type PlantedKind } from './personas.js';

const DAY_MS = 86_400_000;
const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const PHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1';
const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CAMPAIGNS = [
  { source: 'google', medium: 'cpc', name: 'brand' },
  { source: 'newsletter', medium: 'email', name: 'weekly' },
  { source: 'instagram', medium: 'social', name: 'summer' },
];

export interface SimulateOptions {
  users: number;
  days: number;
  seed: number;
  /** First day of the period (ISO). */
  start?: string;
  /** Share of planted bots, half announced by user agent and half posing as browsers. */
  botShare?: number;
  /** Persona shares (normalized); defaults to `PERSONA_MODELS`' shares. */
  mix?: Partial<Record<PersonaId, number>>;
}

/** Who a simulated person really is: the ground truth the segmenter is scored against. */
export interface SimulatedPerson {
  index: number;
  persona: PlantedKind;
  anonymousIds: string[];
  userId: string | null;
}

export interface SimulatedPersonEvents {
  person: SimulatedPerson;
  /** In timestamp order. */
  events: LoupeEvent[];
}

/** Normal via Box–Muller from the seeded generator. */
function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
const logNormal = (rng: Rng, median: number, sigma: number) => median * Math.exp(sigma * normal(rng));
function poisson(rng: Rng, mean: number): number {
  // Knuth's method: means here are small (products per visit).
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rng.next(); p > limit; p *= rng.next()) k += 1;
  return k;
}

/** Persona of person `index`: a deterministic draw from the mix, with bots planted at `botShare`. */
export function personaOf(index: number, options: SimulateOptions): PlantedKind {
  const rng = createRng(mix32(options.seed, index, 1));
  const u = rng.next();
  const botShare = options.botShare ?? 0.02;
  if (u < botShare) return u < botShare / 2 ? 'bot' : 'scraper';
  const ids = Object.keys(PERSONA_MODELS) as PersonaId[];
  const weights = ids.map((id) => options.mix?.[id] ?? PERSONA_MODELS[id].share);
  const total = weights.reduce((a, b) => a + b, 0);
  let x = ((u - botShare) / (1 - botShare)) * total;
  for (let i = 0; i < ids.length; i++) {
    x -= weights[i] ?? 0;
    if (x < 0) return ids[i] as PersonaId;
  }
  return ids[ids.length - 1] as PersonaId;
}

/** A 32-bit seed from several integers (so each person has an independent stream). */
export function mix32(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
  }
  return h >>> 0;
}

interface Emitter {
  at: number;
  emit(event: Omit<LoupeEvent, 'messageId' | 'timestamp' | 'anonymousId'> & Record<string, unknown>): void;
}

/** Simulates one person over the period; deterministic in (seed, index). */
export function simulatePerson(index: number, options: SimulateOptions): SimulatedPersonEvents {
  const kind = personaOf(index, options);
  const rng = createRng(mix32(options.seed, index, 2));
  const start = Date.parse(options.start ?? '2024-01-01T00:00:00Z');
  const periodMs = options.days * DAY_MS;
  const person: SimulatedPerson = {
    index,
    persona: kind,
    anonymousIds: [`anon-${options.seed}-${index}`],
    userId: null,
  };
  const events: LoupeEvent[] = [];
  let seq = 0;
  let device = 0;
  let userAgent = kind === 'bot' ? BOT_UA : rng.next() < 0.4 ? PHONE_UA : BROWSER_UA;

  const emitter: Emitter = {
    at: start,
    emit(event) {
      seq += 1;
      const anonymousId = person.anonymousIds[device] as string;
      const base = {
        messageId: `sim-${options.seed}-${index}-${seq}`,
        anonymousId,
        ...(person.userId ? { userId: person.userId } : {}),
        timestamp: new Date(this.at).toISOString(),
      };
      const context = { userAgent, ...((event as { context?: object }).context ?? {}) };
      events.push({ ...event, ...base, context } as unknown as LoupeEvent);
    },
  };

  if (kind === 'bot' || kind === 'scraper') {
    simulateCrawler(emitter, rng, start, periodMs);
    return { person, events };
  }

  const model = PERSONA_MODELS[kind];
  const windowStart = start + model.from * periodMs;
  const windowEnd = start + model.to * periodMs;
  const span = windowEnd - windowStart;
  const firstVisit =
    windowStart + rng.next() * (model.arrival === 'joining' ? span : Math.min(14 * DAY_MS, span * 0.25));
  const perDay = logNormal(rng, model.visitsPerWeek, 0.3) / 7;
  const visits: number[] = [firstVisit];
  for (let t = firstVisit; ; ) {
    t += (-Math.log(1 - rng.next()) / perDay) * DAY_MS;
    if (t >= windowEnd) break;
    visits.push(t);
  }
  const forced = new Set<number>();
  while (forced.size < Math.min(model.minOrders, visits.length)) forced.add(rng.int(visits.length));
  const aov = logNormal(rng, Math.max(1, model.orderValue), 0.4);
  const hasSecondDevice = rng.next() < 0.25;

  visits.forEach((visitAt, v) => {
    if (person.userId && hasSecondDevice && rng.next() < 0.3) {
      if (person.anonymousIds.length === 1) person.anonymousIds.push(`anon-${options.seed}-${index}-b`);
      device = 1;
      userAgent = PHONE_UA;
    } else {
      device = 0;
    }
    simulateVisit(emitter, rng, model, visitAt, forced.has(v), aov, person, () => device);
  });
  return { person, events };
}

function simulateVisit(
  out: Emitter,
  rng: Rng,
  model: PersonaModel,
  at: number,
  forceOrder: boolean,
  aov: number,
  person: SimulatedPerson,
  currentDevice: () => number,
): void {
  out.at = at;
  const campaign = rng.next() < 0.2 ? CAMPAIGNS[rng.int(CAMPAIGNS.length)] : undefined;
  const pages = Math.max(1, Math.round(logNormal(rng, model.pages, 0.35)));
  const views = poisson(rng, model.productViews);
  const step = () => {
    out.at += Math.max(2, logNormal(rng, model.dwell, 0.5)) * 1000;
  };
  for (let p = 0; p < pages; p++) {
    const path = p === 0 ? '/' : `/c/${1 + rng.int(20)}`;
    out.emit({
      type: 'page',
      name: p === 0 ? 'Home' : 'Category',
      properties: { path },
      context: { page: { path, url: `https://shop.example${path}` }, ...(p === 0 && campaign ? { campaign } : {}) },
    });
    const depth = Math.min(100, logNormal(rng, model.scroll, 0.3));
    for (const d of [25, 50, 75, 100]) {
      if (d > depth) break;
      out.at += 1500;
      out.emit({ type: 'track', event: 'Scroll Depth Reached', properties: { depth: d } });
    }
    if (p < views || (p === pages - 1 && views > pages)) {
      const count = p === pages - 1 ? Math.max(1, views - p) : 1;
      for (let i = 0; i < count; i++) {
        step();
        out.emit({ type: 'track', event: 'Product Viewed', properties: { product_id: `p${rng.int(200)}`, price: 20 } });
      }
    }
    step();
  }
  const addsToCart = forceOrder || rng.next() < model.cart;
  if (!addsToCart) return;
  const items = 1 + rng.int(3);
  for (let i = 0; i < items; i++) {
    step();
    out.emit({ type: 'track', event: 'Product Added', properties: { product_id: `p${rng.int(200)}`, quantity: 1 } });
  }
  if (!forceOrder && rng.next() >= model.checkout) return;
  step();
  out.emit({ type: 'track', event: 'Checkout Started', properties: {} });
  if (!forceOrder && rng.next() >= model.order) return;
  step();
  if (!person.userId) {
    person.userId = `user-${person.anonymousIds[0]?.slice(5)}`;
    out.emit({ type: 'identify', userId: person.userId, traits: {} });
  } else if (currentDevice() === 1 && person.anonymousIds.length === 2) {
    out.emit({ type: 'identify', userId: person.userId, traits: {} });
  }
  const revenue = Math.round(logNormal(rng, aov, 0.25) * 100) / 100;
  out.emit({
    type: 'track',
    event: 'Order Completed',
    properties: { order_id: `o${person.index}-${out.at}`, revenue, currency: 'USD' },
  });
}

/** A crawler: a visit most days, hundreds of pages a few hundred milliseconds apart, no scrolling. */
function simulateCrawler(out: Emitter, rng: Rng, start: number, periodMs: number): void {
  const days = Math.floor(periodMs / DAY_MS);
  for (let d = 0; d < days; d++) {
    if (rng.next() < 0.85) continue;
    out.at = start + d * DAY_MS + rng.next() * 0.5 * DAY_MS;
    const pages = 40 + rng.int(80);
    for (let p = 0; p < pages; p++) {
      out.at += 200 + rng.int(600);
      const path = `/p/${rng.int(5000)}`;
      out.emit({ type: 'page', name: 'Product', properties: { path }, context: { page: { path } } });
      if (rng.next() < 0.5) out.emit({ type: 'track', event: 'Product Viewed', properties: { product_id: path } });
    }
  }
}

/** Simulates everyone: events of all people merged in timestamp order, and the ground truth. */
export function simulate(options: SimulateOptions): { people: SimulatedPerson[]; events: LoupeEvent[]; end: string } {
  const people: SimulatedPerson[] = [];
  const events: LoupeEvent[] = [];
  for (let i = 0; i < options.users; i++) {
    const r = simulatePerson(i, options);
    people.push(r.person);
    for (const e of r.events) events.push(e);
  }
  events.sort(byTimestamp);
  const end = new Date(Date.parse(options.start ?? '2024-01-01T00:00:00Z') + options.days * DAY_MS).toISOString();
  return { people, events, end };
}

/** ISO 8601 UTC timestamps sort as strings; plain comparison is much faster than localeCompare. */
function byTimestamp(a: { timestamp?: string }, b: { timestamp?: string }): number {
  const x = a.timestamp ?? '';
  const y = b.timestamp ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
