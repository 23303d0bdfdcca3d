import { LIMITS, type LoupeEvent, type RejectedEvent } from '@loupe/schema';
import { validateEvent } from '@loupe/schema/validate';
import { BacklogFullError } from '../errors.js';
import type { QuarantinedPayload, StoredEvent, Store, WriteKey } from '../storage/types.js';
import { correctTimestamp, isBotUserAgent, truncateIp } from './enrich.js';
import type { GroupCommitter } from './group-commit.js';
import type { EventOutcome, Metrics } from './metrics.js';

export interface IngestRequest {
  key: WriteKey;
  events: readonly unknown[];
  /** Envelope `sentAt`, used when an event has none of its own. */
  sentAt?: string | undefined;
  /** Envelope `context`, merged under each event's own (Segment's HTTP API allows it). */
  context?: Record<string, unknown> | undefined;
  ip: string | null;
  userAgent: string | null;
  /** Run the prototype-key and NUL scan (the route skips it when the raw body cannot contain either). */
  deepCheck: boolean;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedEvent[];
  /** The stored rows, for what runs after a commit (live segment assignment). */
  stored: StoredEvent[];
}

export interface IngestServiceDeps {
  store: Pick<Store, 'quarantine'>;
  committer: GroupCommitter;
  metrics: Metrics;
  clock: () => Date;
  /** Ids erased on request whose later events must not be stored again. */
  isSuppressed?: (writeKey: string, ids: readonly string[]) => boolean;
}

export interface IngestService {
  ingest(request: IngestRequest): Promise<IngestResult>;
}

const QUARANTINE_MAX_CHARS = 64 * 1024;

export function createIngestService({ store, committer, metrics, clock, isSuppressed }: IngestServiceDeps): IngestService {
  return {
    async ingest(request) {
      const receivedAt = clock();
      const receivedAtMs = receivedAt.getTime();
      const receivedAtIso = receivedAt.toISOString();
      const rejected: RejectedEvent[] = [];
      const quarantined: QuarantinedPayload[] = [];
      const rows: StoredEvent[] = [];
      const counts = new Map<EventOutcome, number>();
      const count = (o: EventOutcome) => counts.set(o, (counts.get(o) ?? 0) + 1);

      const reject = (index: number, outcome: EventOutcome, path: string, message: string, raw?: string) => {
        rejected.push({ index, path, message });
        count(outcome);
        if (raw !== undefined) {
          quarantined.push({
            writeKey: request.key.key,
            reason: `${outcome}: ${message}`,
            path,
            raw: raw.length > QUARANTINE_MAX_CHARS ? raw.slice(0, QUARANTINE_MAX_CHARS) : raw,
            receivedAt: receivedAtIso,
          });
        }
      };

      for (let index = 0; index < request.events.length; index++) {
        let raw = request.events[index];
        if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
          reject(index, 'invalid', '', 'an event must be a JSON object', JSON.stringify(raw) ?? 'undefined');
          continue;
        }
        if (request.context) {
          const own = (raw as { context?: unknown }).context;
          raw = { ...raw, context: { ...request.context, ...(isPlainObject(own) ? own : {}) } };
        }
        const text = JSON.stringify(raw);
        if (byteLength(text) > LIMITS.maxEventBytes) {
          reject(index, 'too_large', '', `event is larger than ${LIMITS.maxEventBytes} bytes`, text);
          continue;
        }
        const result = validateEvent(raw, request.deepCheck);
        if (!result.ok) {
          reject(index, 'invalid', result.error.path, result.error.message, text);
          continue;
        }
        const event = result.event;
        if (request.key.requireConsent && event.context?.consent?.categories?.analytics !== true) {
          // Never quarantined: without consent nothing about the event may be kept.
          reject(index, 'no_consent', 'context.consent.categories.analytics', 'no analytics consent for a key that requires it');
          continue;
        }
        const ids = [event.anonymousId, event.userId].filter((v): v is string => Boolean(v));
        if (isSuppressed?.(request.key.key, ids)) {
          reject(index, 'suppressed', 'anonymousId', 'this id was erased on request; its events are no longer stored');
          continue;
        }
        rows.push(toStoredEvent(event, request, receivedAtMs, receivedAtIso));
      }

      if (quarantined.length > 0) await store.quarantine(quarantined);
      for (const [outcome, n] of counts) metrics.countEvents(outcome, n);

      let accepted = 0;
      let duplicates = 0;
      const stored: StoredEvent[] = [];
      if (rows.length > 0) {
        let outcomes: Awaited<ReturnType<GroupCommitter['submit']>>;
        try {
          outcomes = await committer.submit(rows);
        } catch (error) {
          metrics.countEvents(error instanceof BacklogFullError ? 'backlog_full' : 'storage_error', rows.length);
          throw error;
        }
        for (let i = 0; i < outcomes.length; i++) {
          if (outcomes[i] === 'inserted') {
            accepted++;
            stored.push(rows[i] as StoredEvent);
          } else duplicates++;
        }
        metrics.countEvents('accepted', accepted);
        metrics.countEvents('duplicate', duplicates);
      }
      return { accepted, duplicates, rejected, stored };
    },
  };
}

function toStoredEvent(event: LoupeEvent, request: IngestRequest, receivedAtMs: number, receivedAtIso: string): StoredEvent {
  const context = { ...(event.context ?? {}) };
  const ip = truncateIp(typeof context.ip === 'string' ? context.ip : request.ip);
  if (ip) context.ip = ip;
  else delete context.ip;
  const userAgent = typeof context.userAgent === 'string' ? context.userAgent : request.userAgent;
  const sentAt = event.sentAt ?? request.sentAt;
  const timestamp = new Date(correctTimestamp(event.timestamp, sentAt, receivedAtMs)).toISOString();
  const payload = {
    ...event,
    context,
    timestamp,
    receivedAt: receivedAtIso,
    ...(event.timestamp ? { originalTimestamp: event.timestamp } : {}),
    ...(sentAt ? { sentAt } : {}),
  } as unknown as LoupeEvent;
  const name = event.type === 'track' ? event.event : event.type === 'page' || event.type === 'screen' ? (event.name ?? null) : null;
  return {
    writeKey: request.key.key,
    messageId: event.messageId,
    type: event.type,
    anonymousId: event.anonymousId ?? null,
    userId: event.userId ?? null,
    name,
    timestamp,
    receivedAt: receivedAtIso,
    sessionId: context.sessionId === undefined ? null : String(context.sessionId),
    ip,
    isBot: isBotUserAgent(userAgent),
    payload,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function byteLength(text: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: skip the exact count when it cannot matter.
  return text.length * 3 <= LIMITS.maxEventBytes ? text.length : Buffer.byteLength(text);
}
