import { describe, expect, it } from 'vitest';
import { configFromEnv, sqliteOptionsFromEnv } from './config.js';

describe('settings from LOUPE_* variables', () => {
  it('reads the ingest log settings, and leaves out what is not set', () => {
    expect(sqliteOptionsFromEnv({})).toEqual({});
    expect(
      sqliteOptionsFromEnv({ LOUPE_INDEXER_THREAD: 'off', LOUPE_INDEXER_NICE: '19', LOUPE_MAX_UNINDEXED_ROWS: '5000' }),
    ).toEqual({ indexerThread: false, indexerNice: 19, maxPendingRows: 5000 });
  });

  it('refuses a setting that is not a non-negative number rather than guess', () => {
    expect(() => sqliteOptionsFromEnv({ LOUPE_MAX_UNINDEXED_ROWS: 'lots' })).toThrow(/non-negative number/);
    expect(() => configFromEnv({ LOUPE_COMMIT_DELAY_MS: '-1' })).toThrow(/non-negative number/);
  });
});
