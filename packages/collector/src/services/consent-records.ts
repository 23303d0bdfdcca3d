import { randomUUID } from 'node:crypto';
import type { ConsentCategory } from '@loupe/schema';
import type { ConsentRecordRow, ConsentRecordStore } from '../storage/privacy-types.js';
import { type ChainCheck, chainHash, GENESIS_HASH, subjectDigest, verifyChain } from './consent-chain.js';
import type { ConsentRecordInput } from './consent-input.js';
import { truncateIp } from './enrich.js';
import { applyGpcPolicy, type Signal } from './privacy-signals.js';

export type Decision = Record<ConsentCategory, boolean>;

/** The hashed body of a record, in a fixed key order so the same record always hashes the same. */
export interface ConsentRecordBody {
  v: 1;
  seq: number;
  id: string;
  writeKey: string;
  subject: string;
  /** As chosen by the visitor (or the bridge acting for them). */
  categories: Decision;
  /** After the collector applied the signals it saw (GPC): what read-back honours. */
  effective: Decision;
  source: string;
  reason: string | null;
  policyVersion: string;
  bannerHash: string | null;
  language: string | null;
  signals: Signal[];
  clientTime: string;
  serverTime: string;
  ip: string | null;
}

export interface ConsentRecordContext {
  writeKey: string;
  ip: string | null;
  /** The request carried `Sec-GPC: 1`. */
  gpc: boolean;
}

export interface AppendedRecord {
  id: string;
  seq: number;
  hash: string;
  duplicate: boolean;
  effective: Decision;
}

export interface ConsentRecordService {
  append(input: ConsentRecordInput, context: ConsentRecordContext): Promise<AppendedRecord>;
  /** The records of these ids (export): bodies, with their place in the chain. */
  forIds(ids: readonly string[]): Promise<(ConsentRecordBody & { hash: string; prevHash: string })[]>;
  /** The effective decision in force for an id under a key, or null when none was recorded. */
  current(writeKey: string, anonymousId: string): Promise<Decision | null>;
  verify(): Promise<ChainCheck>;
}

export interface ConsentRecordServiceOptions {
  store: ConsentRecordStore;
  clock: () => Date;
  /** Categories that `Sec-GPC: 1` turns off (default marketing and personalization). */
  gpcDenies?: readonly ConsentCategory[];
  /** Appends retried after another writer moved the chain's tip. */
  maxAttempts?: number;
}

export class ConsentChainBusyError extends Error {
  override name = 'ConsentChainBusyError' as const;
}

/**
 * Appends consent records to a hash chain. Appends are serialized in this process and
 * optimistic across processes (the store refuses a record that does not extend the current tip).
 */
export function createConsentRecordService({
  store,
  clock,
  gpcDenies = ['marketing', 'personalization'],
  maxAttempts = 8,
}: ConsentRecordServiceOptions): ConsentRecordService {
  let tail: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => {});
    return run;
  };

  const parse = (row: ConsentRecordRow) => ({
    ...(JSON.parse(row.body) as ConsentRecordBody),
    hash: row.hash,
    prevHash: row.prevHash,
  });

  return {
    append(input, context) {
      return serialized(async () => {
        const id = input.recordId ?? randomUUID();
        const existing = await store.consentRecordById(id);
        if (existing) return appended(existing, true);
        const categories = decisionOf(input.categories);
        const { effective, signals } = applyGpcPolicy(categories, input.signals ?? [], context.gpc, gpcDenies);
        for (let attempt = 0; attempt < maxAttempts; attempt++) {
          const tip = await store.consentChainTip();
          const seq = (tip?.seq ?? 0) + 1;
          const prevHash = tip?.hash ?? GENESIS_HASH;
          const body: ConsentRecordBody = {
            v: 1,
            seq,
            id,
            writeKey: context.writeKey,
            subject: subjectDigest(input.anonymousId),
            categories,
            effective,
            source: input.source,
            reason: input.reason ?? null,
            policyVersion: input.policyVersion,
            bannerHash: input.bannerHash ?? null,
            language: input.language ?? null,
            signals,
            clientTime: input.timestamp,
            serverTime: clock().toISOString(),
            ip: truncateIp(context.ip),
          };
          const text = JSON.stringify(body);
          const row: ConsentRecordRow = {
            seq,
            id,
            writeKey: body.writeKey,
            anonymousId: input.anonymousId,
            subject: body.subject,
            body: text,
            prevHash,
            hash: chainHash(prevHash, text),
            receivedAt: body.serverTime,
          };
          const outcome = await store.appendConsentRecord(row);
          if (outcome === 'inserted') return appended(row, false);
          if (outcome === 'duplicate') return appended((await store.consentRecordById(id)) ?? row, true);
        }
        throw new ConsentChainBusyError(`the consent chain moved ${maxAttempts} times during one append`);
      });
    },

    async forIds(ids) {
      const rows = await store.consentRecordsForSubjects([...new Set(ids)].map(subjectDigest));
      return rows.map(parse);
    },

    async current(writeKey, anonymousId) {
      const row = await store.latestConsentRecord(writeKey, subjectDigest(anonymousId));
      return row ? parse(row).effective : null;
    },

    verify: () => verifyChain(store.scanConsentRecords()),
  };

  function appended(row: ConsentRecordRow, duplicate: boolean): AppendedRecord {
    const body = JSON.parse(row.body) as ConsentRecordBody;
    return { id: row.id, seq: row.seq, hash: row.hash, duplicate, effective: body.effective };
  }
}

function decisionOf(categories: ConsentRecordInput['categories']): Decision {
  return {
    necessary: true,
    analytics: categories.analytics === true,
    personalization: categories.personalization === true,
    marketing: categories.marketing === true,
  };
}
