import { randomBytes } from 'node:crypto';

/** A new write key: `wk_` and 144 random bits, URL-safe. */
export function newWriteKey(): string {
  return `wk_${randomBytes(18).toString('base64url')}`;
}

/** Default retention of raw events: 25 months, in days. */
export const DEFAULT_RETENTION_DAYS = 762;

/** Upper bound on a transitive identity walk, so one pathological id cannot stall a request. */
export const MAX_LINKED_IDS = 10_000;
