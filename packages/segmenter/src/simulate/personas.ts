/** The personas the simulator plants, with the segment name each should receive. */
export const PERSONAS = {
  power: 'Power users',
  loyal: 'Loyal',
  churnRisk: 'Churn risk',
  occasional: 'Occasional buyers',
  window: 'Window shoppers',
  cartAbandoner: 'Cart abandoners',
  newVisitor: 'New visitors',
} as const;
export type PersonaId = keyof typeof PERSONAS;
/** Planted non-humans: `bot` announces itself in its user agent, `scraper` poses as a browser. */
export type PlantedKind = PersonaId | 'bot' | 'scraper';

/** How one persona behaves; each person draws their own rates around these (log-normally). */
export interface PersonaModel {
  /** Share of the simulated people. */
  share: number;
  /** Median visits a week while active. */
  visitsPerWeek: number;
  /** Active window as fractions of the period: first visit after `from`, none after `to`. */
  from: number;
  to: number;
  /**
   * How first visits spread over the active window: `established` customers were already there
   * when the data begins (first seen in its first two weeks), `joining` ones find the shop at any
   * time in it, as a shop's newcomers keep doing.
   */
  arrival: 'established' | 'joining';
  /** Median pages per visit. */
  pages: number;
  /** Mean products viewed per visit. */
  productViews: number;
  /** P(add to cart | visit), P(checkout | cart), P(order | checkout). */
  cart: number;
  checkout: number;
  order: number;
  /** Median order value. */
  orderValue: number;
  /** Median deepest scroll per page, percent. */
  scroll: number;
  /** Median seconds on a page. */
  dwell: number;
  /** Every member orders at least this often (occasional buyers buy). */
  minOrders: number;
}

/**
 * Skewed shares and heavy-tailed rates, as in shop data: many occasional and window shoppers, few
 * power users who bring much of the revenue. One persona a line, so the table reads down its columns.
 */
// prettier-ignore
export const PERSONA_MODELS: Record<PersonaId, PersonaModel> = {
  power: { share: 0.07, visitsPerWeek: 7, from: 0, to: 1, arrival: 'established', pages: 5, productViews: 3, cart: 0.5, checkout: 0.9, order: 0.9, orderValue: 150, scroll: 70, dwell: 40, minOrders: 8 },
  loyal: { share: 0.1, visitsPerWeek: 1.5, from: 0, to: 1, arrival: 'established', pages: 4, productViews: 2, cart: 0.6, checkout: 0.9, order: 0.9, orderValue: 60, scroll: 60, dwell: 35, minOrders: 3 },
  churnRisk: { share: 0.1, visitsPerWeek: 2.5, from: 0, to: 0.45, arrival: 'established', pages: 4, productViews: 2, cart: 0.5, checkout: 0.85, order: 0.9, orderValue: 55, scroll: 55, dwell: 30, minOrders: 3 },
  occasional: { share: 0.23, visitsPerWeek: 0.5, from: 0, to: 1, arrival: 'established', pages: 3, productViews: 1.5, cart: 0.2, checkout: 0.8, order: 0.85, orderValue: 45, scroll: 45, dwell: 25, minOrders: 1 },
  window: { share: 0.22, visitsPerWeek: 1.2, from: 0, to: 1, arrival: 'joining', pages: 5, productViews: 4, cart: 0.003, checkout: 0, order: 0, orderValue: 0, scroll: 70, dwell: 45, minOrders: 0 },
  cartAbandoner: { share: 0.13, visitsPerWeek: 0.8, from: 0, to: 1, arrival: 'joining', pages: 3, productViews: 2.5, cart: 0.85, checkout: 0.45, order: 0.04, orderValue: 70, scroll: 50, dwell: 25, minOrders: 0 },
  newVisitor: { share: 0.15, visitsPerWeek: 2, from: 0.93, to: 1, arrival: 'joining', pages: 2, productViews: 0.5, cart: 0.05, checkout: 0.3, order: 0.5, orderValue: 40, scroll: 30, dwell: 15, minOrders: 0 },
};
