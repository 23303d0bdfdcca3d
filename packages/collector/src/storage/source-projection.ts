import type { EventType } from '@loupe/schema';
import { AUTO_EVENTS, CART_EVENTS } from '@loupe/schema';
import type { SourceEvent } from '@loupe/segmenter';

/** Track events whose properties the segmenter reads whole (order value: revenue, total, products, price × quantity). */
export const VALUE_EVENTS = [CART_EVENTS.orderCompleted, CART_EVENTS.orderRefunded] as const;
/** The track event whose `depth` the segmenter reads. */
export const DEPTH_EVENT = AUTO_EVENTS.scrollDepthReached;

/**
 * One projected row: [id, ts, type, anonymous_id, user_id, name, is_bot, campaign JSON (object
 * only), numeric depth, properties JSON (value events only)].
 */
export type ProjectedRow = [
  id: number | string,
  ts: string,
  type: string,
  anonymousId: string | null,
  userId: string | null,
  name: string | null,
  isBot: number | boolean,
  campaign: string | null,
  /** A number, or its JSON text (PostgreSQL, where a float cast could fail on 1e400). */
  depth: number | string | null,
  properties: string | null,
];

const EMPTY: SourceEvent['payload'] = Object.freeze({});

/**
 * Turns projected rows into source events with as little allocation as possible: payloads without
 * campaign or properties share one frozen empty object, campaigns (a handful of distinct values)
 * and depths (25/50/75/100) are decoded once and shared, and only value events parse JSON.
 */
export function createProjectionDecoder(): (rows: readonly ProjectedRow[]) => SourceEvent[] {
  const campaigns = new Map<string, SourceEvent['payload']>();
  const depths = new Map<number, SourceEvent['payload']>();
  const campaignPayload = (text: string) => {
    let payload = campaigns.get(text);
    if (!payload) {
      payload = Object.freeze({
        context: Object.freeze({ campaign: Object.freeze(JSON.parse(text)) }),
      }) as SourceEvent['payload'];
      if (campaigns.size < 10_000) campaigns.set(text, payload);
    }
    return payload;
  };
  return (rows) => {
    const out = new Array<SourceEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as ProjectedRow;
      let payload = EMPTY;
      if (r[9] !== null) {
        payload = { properties: JSON.parse(r[9]) as Record<string, unknown> };
        if (r[7] !== null)
          payload.context = campaignPayload(r[7]).context as NonNullable<SourceEvent['payload']['context']>;
      } else if (r[8] !== null) {
        const depth = typeof r[8] === 'string' ? (JSON.parse(r[8]) as number) : r[8];
        let shared = depths.get(depth);
        if (!shared) {
          shared = Object.freeze({ properties: Object.freeze({ depth }) });
          if (depths.size < 1000) depths.set(depth, shared);
        }
        payload =
          r[7] === null
            ? shared
            : {
                properties: shared.properties as Record<string, unknown>,
                context: campaignPayload(r[7]).context as NonNullable<SourceEvent['payload']['context']>,
              };
      } else if (r[7] !== null) {
        payload = campaignPayload(r[7]);
      }
      out[i] = {
        messageId: '',
        type: r[2] as EventType,
        anonymousId: r[3],
        userId: r[4],
        name: r[5],
        timestamp: r[1],
        isBot: r[6] === 1 || r[6] === true,
        payload,
      };
    }
    return out;
  };
}
