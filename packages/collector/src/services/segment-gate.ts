import type { ConsentCategory } from '@loupe/schema';
import type { WriteKey } from '../storage/types.js';
import type { ConsentRecordService } from './consent-records.js';
import { consentAllows } from './privacy-signals.js';

export interface SegmentGateRequest {
  key: Pick<WriteKey, 'key' | 'requireConsent'>;
  anonymousId: string;
  /** The read-back request carried `Sec-GPC: 1`. */
  gpc: boolean;
}

export interface SegmentGate {
  /** Whether a segment may be served for this id (GET /v1/profile and the batch response). */
  allows(request: SegmentGateRequest): Promise<boolean>;
}

/**
 * Segment read-back is personalization: under GPC (when the policy denies personalization) it is
 * never served; for a `--require-consent` key it is served only when the id's latest consent
 * record grants personalization; for other keys unless the latest record withdrew it.
 */
export function createSegmentGate({
  records,
  gpcDenies = ['marketing', 'personalization'],
}: {
  records: Pick<ConsentRecordService, 'current'> | null;
  gpcDenies?: readonly ConsentCategory[];
}): SegmentGate {
  return {
    async allows({ key, anonymousId, gpc }) {
      if (gpc && gpcDenies.includes('personalization')) return false;
      const current = records ? await records.current(key.key, anonymousId) : null;
      if (key.requireConsent) return consentAllows(current, 'personalization');
      return current === null || current.personalization;
    },
  };
}
