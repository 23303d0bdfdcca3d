import { createHash, randomBytes } from 'node:crypto';
import type { CookielessStore } from '../storage/privacy-types.js';

/** A day's salt is deleted this long after it was made: no visitor hash can be recomputed after. */
export const SALT_LIFETIME_MS = 48 * 3_600_000;

export interface CookielessHitInput {
  writeKey: string;
  /** Page path; query string and fragment are dropped (they may hold personal data). */
  path: string;
  /** Used in memory for the visitor hash only, never stored. */
  ip: string | null;
  userAgent: string | null;
}

export interface CookielessCounter {
  count(hit: CookielessHitInput): Promise<void>;
  /** Deletes salts older than 48 hours; returns how many. */
  rotate(): Promise<number>;
}

/**
 * Anonymous page counts for visitors who declined, in the shape the CNIL exempts from consent:
 * nothing on the device, no cross-day or cross-site identifier. A visitor is counted once a day
 * through sha256(daily salt, key, IP, user agent); the salt is random, made per UTC day, and
 * deleted after 48 hours, after which the day's hashes cannot be linked to anyone.
 */
export function createCookielessCounter({
  store,
  clock,
}: {
  store: CookielessStore;
  clock: () => Date;
}): CookielessCounter {
  return {
    async count({ writeKey, path, ip, userAgent }) {
      const now = clock();
      const day = now.toISOString().slice(0, 10);
      const salt = await store.dailySalt(day, randomBytes(32).toString('base64url'), now.toISOString());
      const visitorHash = createHash('sha256')
        .update(salt)
        .update('\u0000')
        .update(writeKey)
        .update('\u0000')
        .update(ip ?? '')
        .update('\u0000')
        .update(userAgent ?? '')
        .digest('base64url');
      await store.recordCookielessHit({ writeKey, day, path: cleanPath(path), visitorHash });
    },
    async rotate() {
      return store.deleteSaltsCreatedBefore(new Date(clock().getTime() - SALT_LIFETIME_MS).toISOString());
    },
  };
}

/** `/a/b?x=1#y` → `/a/b`; anything that is not a path becomes `/`. */
export function cleanPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  if (!bare.startsWith('/')) return '/';
  return bare.length > 512 ? bare.slice(0, 512) : bare;
}
