import type { CookielessStore } from '../storage/privacy-types.js';
import type { AuditStore, EventStore, KeyStore } from '../storage/types.js';

const DAY_MS = 86_400_000;

export interface RetentionReport {
  ranAt: string;
  /** Events deleted per write key (keys with nothing to delete are left out). */
  events: Record<string, number>;
  cookielessRows: number;
}

export interface RetentionJob {
  /** Deletes every key's raw events (and cookieless counts) older than the key's retention. */
  run(): Promise<RetentionReport>;
}

export interface RetentionJobOptions {
  store: Pick<EventStore, 'purgeEventsBefore'> & Pick<KeyStore, 'listKeys'> & Pick<AuditStore, 'appendAudit'>;
  cookieless?: Pick<CookielessStore, 'purgeCookielessBefore'> | undefined;
  clock: () => Date;
}

/**
 * Storage limitation (GDPR Art. 5(1)(e)): raw events live for the key's `retentionDays` (25 months
 * by default, the CNIL's ceiling for audience measurement), measured from when they were received.
 * Each run that deletes anything leaves an audit entry with counts, never ids.
 */
export function createRetentionJob({ store, cookieless, clock }: RetentionJobOptions): RetentionJob {
  return {
    async run() {
      const now = clock();
      const events: Record<string, number> = {};
      let cookielessRows = 0;
      for (const key of await store.listKeys()) {
        const cutoff = new Date(now.getTime() - key.retentionDays * DAY_MS);
        const deleted = await store.purgeEventsBefore(key.key, cutoff.toISOString());
        if (deleted > 0) events[key.key] = deleted;
        if (cookieless)
          cookielessRows += await cookieless.purgeCookielessBefore(key.key, cutoff.toISOString().slice(0, 10));
      }
      const ranAt = now.toISOString();
      const total = Object.values(events).reduce((a, b) => a + b, 0);
      if (total > 0 || cookielessRows > 0) {
        await store.appendAudit({
          at: ranAt,
          actor: 'system:retention',
          action: 'retention.purge',
          subject: '*',
          detail: { events: total, keys: Object.keys(events).length, cookielessRows },
        });
      }
      return { ranAt, events, cookielessRows };
    },
  };
}
