import type { ConsentCategory } from '@loupe/schema';
import { Hono } from 'hono';
import type { CollectorConfig } from './config.js';
import { HttpError } from './errors.js';
import { consentRoutes } from './routes/consent.js';
import { cookielessRoutes } from './routes/cookieless.js';
import { privacyAdminRoutes } from './routes/privacy-admin.js';
import { subjectDigest } from './services/consent-chain.js';
import { type ConsentRecordService, createConsentRecordService } from './services/consent-records.js';
import { type CookielessCounter, createCookielessCounter } from './services/cookieless.js';
import type { KeyResolver } from './services/key-resolver.js';
import type { Logger } from './services/log.js';
import type { PrivacySection } from './services/privacy.js';
import { createRateLimiter } from './services/rate-limit.js';
import { createRetentionJob, type RetentionJob } from './services/retention.js';
import { createSegmentGate, type SegmentGate } from './services/segment-gate.js';
import { createSuppressionList, type SuppressionList } from './services/suppression.js';
import type { PrivacyStore } from './storage/privacy-types.js';
import type { Store } from './storage/types.js';

export interface PrivacyModuleDeps {
  store: Store;
  /** Null when the storage adapter has no privacy tables: the routes then answer 501. */
  privacyStore: PrivacyStore | null;
  config: CollectorConfig;
  keys: KeyResolver;
  clock: () => Date;
  logger: Logger;
  /** Categories `Sec-GPC: 1` turns off (default marketing and personalization). */
  gpcDenies?: readonly ConsentCategory[];
}

export interface PrivacyModule {
  /** Export and erasure sections: consent records (kept, unlinked) and the suppression list. */
  sections: PrivacySection[];
  isSuppressed(writeKey: string, ids: readonly string[]): boolean | Promise<boolean>;
  /** Mounted at /v1: POST /consent, POST /count. */
  v1: Hono;
  /** Mounted at /v1/admin: consent/verify, cookieless. */
  admin: Hono;
  records: ConsentRecordService | null;
  suppression: SuppressionList | null;
  cookieless: CookielessCounter | null;
  retention: RetentionJob;
  /** Whether a segment may be read back for an id: for GET /v1/profile and batch responses. */
  segmentGate: SegmentGate;
  /** Retention, salt rotation, suppression refresh: what `loupe serve` runs every hour. */
  housekeeping(): Promise<void>;
}

/** Consent records, erasure suppression, cookieless counts and retention, wired to one store. */
export function createPrivacyModule({
  store,
  privacyStore,
  config,
  keys,
  clock,
  logger,
  gpcDenies,
}: PrivacyModuleDeps): PrivacyModule {
  const retention = createRetentionJob({ store, cookieless: privacyStore ?? undefined, clock });
  if (!privacyStore) {
    const unsupported = new Hono();
    unsupported.all('/consent', () => {
      throw new HttpError(501, 'not_supported', `the ${store.kind} storage adapter does not keep consent records yet`);
    });
    return {
      sections: [],
      isSuppressed: () => false,
      v1: unsupported,
      admin: new Hono(),
      records: null,
      suppression: null,
      cookieless: null,
      retention,
      segmentGate: createSegmentGate({ records: null, ...(gpcDenies ? { gpcDenies } : {}) }),
      housekeeping: async () => {
        await retention.run();
      },
    };
  }

  const records = createConsentRecordService({ store: privacyStore, clock, ...(gpcDenies ? { gpcDenies } : {}) });
  const suppression = createSuppressionList(privacyStore);
  const cookieless = createCookielessCounter({ store: privacyStore, clock });
  const limiter = createRateLimiter({ perSecond: Math.max(1, Math.ceil(config.rateLimitPerIp / 10)) });

  const v1 = new Hono();
  v1.route('/', consentRoutes({ keys, records, limiter, trustProxy: config.trustProxy }));
  v1.route(
    '/',
    cookielessRoutes({ keys, settings: privacyStore, counter: cookieless, limiter, trustProxy: config.trustProxy }),
  );

  const sections: PrivacySection[] = [
    {
      // Proof of consent is kept on erasure (GDPR Art. 7(1), 17(3)(e)): the clear-text id is
      // removed from the records, and the digest they are filed under stays, so a subject who
      // presents their id can still be shown what they decided.
      name: 'consentRecords',
      export: (ids) => records.forIds(ids),
      erase: (ids) => privacyStore.unlinkConsentRecords([...new Set(ids)].map(subjectDigest)),
    },
    {
      name: 'suppression',
      export: async (ids) => ({ suppressed: await suppression.has(ids) }),
      erase: (ids) => suppression.add(ids, clock().toISOString()),
    },
  ];

  return {
    sections,
    isSuppressed: (_writeKey, ids) => suppression.has(ids),
    v1,
    admin: privacyAdminRoutes({ adminToken: config.adminToken, records, cookieless: privacyStore, store, clock }),
    records,
    suppression,
    cookieless,
    retention,
    segmentGate: createSegmentGate({ records, ...(gpcDenies ? { gpcDenies } : {}) }),
    async housekeeping() {
      const jobs: [string, () => Promise<unknown>][] = [
        ['retention', () => retention.run()],
        ['salt rotation', () => cookieless.rotate()],
        ['suppression refresh', () => suppression.refresh()],
      ];
      for (const [name, job] of jobs) {
        try {
          await job();
        } catch (error) {
          logger.log('warn', `${name} failed`, { message: (error as Error).message });
        }
      }
    },
  };
}
