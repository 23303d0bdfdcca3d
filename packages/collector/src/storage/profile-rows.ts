import type { ProfileRecord, StoredProfile } from '@loupe/segmenter';

/** A profile as both adapters store it: indexed columns, the rest as one JSON body. */
export interface ProfileRow {
  key: string;
  user_id: string | null;
  segment_id: string | null;
  segment_since: string | null;
  updated_at: string;
  body: string;
}

type ProfileBody = Pick<ProfileRecord, 'anonymousIds' | 'features' | 'rfm' | 'anomaly' | 'state'>;

export const toProfile = (row: ProfileRow): StoredProfile => ({
  key: row.key,
  userId: row.user_id,
  segmentId: row.segment_id,
  segmentSince: row.segment_since,
  updatedAt: row.updated_at,
  ...(JSON.parse(row.body) as ProfileBody),
});

export const profileBodyOf = (p: ProfileRecord): string =>
  JSON.stringify({
    anonymousIds: p.anonymousIds,
    features: p.features,
    rfm: p.rfm,
    anomaly: p.anomaly,
    state: p.state,
  });
