import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsentRecordService } from '../services/consent-records.js';
import { privacyStoreOf } from '../storage/privacy-store-of.js';
import type { PrivacyStore } from '../storage/privacy-types.js';
import { createSqliteStore } from '../storage/sqlite/index.js';
import { consentCommand } from './consent.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function databaseWithRecords(n: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-consent-'));
  dirs.push(dir);
  const path = join(dir, 'loupe.db');
  const store = createSqliteStore({ path, writer: 'inline' });
  const records = createConsentRecordService({
    store: privacyStoreOf(store) as PrivacyStore,
    clock: () => new Date('2026-03-01T00:00:00Z'),
  });
  for (let i = 1; i <= n; i++) {
    await records.append(
      {
        anonymousId: `anon-${i}`,
        categories: { analytics: i % 2 === 0 },
        source: 'banner',
        policyVersion: '1',
        timestamp: '2026-03-01T00:00:00Z',
      },
      { writeKey: 'wk_1', ip: null, gpc: false },
    );
  }
  await store.close();
  return path;
}

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return consentCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }).then((code) => ({
    code,
    out: out.join(''),
    err: err.join(''),
  }));
}

function edit(path: string, sql: string, ...params: unknown[]) {
  const store = createSqliteStore({ path, writer: 'inline' });
  store.db.prepare(sql).run(...params);
  return store.close();
}

describe('loupe consent verify', () => {
  it('exits 0 when every link holds', async () => {
    const db = await databaseWithRecords(4);
    expect(await run(['verify', '--db', db])).toEqual({
      code: 0,
      out: 'consent chain intact: 4 records verified\n',
      err: '',
    });
  });

  it('exits 1 naming the first record whose body was edited', async () => {
    const db = await databaseWithRecords(4);
    await edit(
      db,
      `UPDATE consent_records SET body = replace(body, '"analytics":false', '"analytics":true') WHERE seq = 3`,
    );
    const result = await run(['verify', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^consent chain broken at record #3 \(id [0-9a-f-]{36}\): its hash does not cover its body/,
    );
  });

  it('catches a record deleted from the middle of the chain', async () => {
    const db = await databaseWithRecords(4);
    await edit(db, 'DELETE FROM consent_records WHERE seq = 2');
    expect((await run(['verify', '--db', db])).err).toMatch(/record #3 .*missing or out of order/);
  });

  it('catches an edited row whose hash was recomputed, at the next record', async () => {
    const db = await databaseWithRecords(3);
    const { chainHash } = await import('../services/consent-chain.js');
    const store = createSqliteStore({ path: db, writer: 'inline' });
    const row = store.db.prepare('SELECT prev_hash, body FROM consent_records WHERE seq = 2').get() as {
      prev_hash: string;
      body: string;
    };
    const body = row.body.replace('"analytics":true', '"analytics":false');
    store.db
      .prepare('UPDATE consent_records SET body = ?, hash = ? WHERE seq = 2')
      .run(body, chainHash(row.prev_hash, body));
    await store.close();
    expect((await run(['verify', '--db', db])).err).toMatch(
      /record #3 .*prevHash is not the hash of the record before it/,
    );
  });

  it('catches a clear-text id swapped in a column outside the hash', async () => {
    const db = await databaseWithRecords(2);
    await edit(db, `UPDATE consent_records SET anonymous_id = 'someone-else' WHERE seq = 1`);
    expect((await run(['verify', '--db', db])).err).toMatch(/record #1 .*columns disagree/);
  });

  it('writes the check to the audit log', async () => {
    const db = await databaseWithRecords(1);
    await run(['verify', '--db', db]);
    const store = createSqliteStore({ path: db, writer: 'inline' });
    expect(await store.listAudit()).toContainEqual(
      expect.objectContaining({ actor: 'cli', action: 'consent.verify', detail: { ok: true, checked: 1 } }),
    );
    await store.close();
  });
});
