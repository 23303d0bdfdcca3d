import { LIMITS, type LoupeEvent, type RejectedEvent } from '@loupe/schema';
import { findUnsafeValue, validateEvent } from '@loupe/schema/validate';
import { BacklogFullError } from '../errors.js';
import type { QuarantinedPayload, StoredEvent, Store, WriteKey } from '../storage/types.js';
import { correctTimestampMs, isBotUserAgent, truncateIp } from './enrich.js';
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
  /**
   * Size of the whole request body in bytes, given only when no value in it serializes longer than
   * the body (see `scanBody`): then no event can be much larger than the body it came in, and when
   * the body is within the per-event limit the per-event size check (a JSON.stringify) is skipped.
   */
  bodyBytes?: number;
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
  /** Ids erased on request whose later events must not be stored again (a promise only while the list loads). */
  isSuppressed?: (writeKey: string, ids: readonly string[]) => boolean | Promise<boolean>;
}

export interface IngestService {
  ingest(request: IngestRequest): Promise<IngestResult>;
}

const QUARANTINE_MAX_CHARS = 64 * 1024;
/** What an event may gain over its body before the size check: the `"type":"identify",` a single-event route adds. */
const ADDED_BYTES = 64;

export function createIngestService({
  store,
  committer,
  metrics,
  clock,
  isSuppressed,
}: IngestServiceDeps): IngestService {
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

      /** `original` is the event as sent (before the envelope's context is merged), quarantined when given. */
      const reject = (index: number, outcome: EventOutcome, path: string, message: string, original?: unknown) => {
        rejected.push({ index, path, message });
        count(outcome);
        if (original !== undefined) {
          quarantined.push({
            writeKey: request.key.key,
            reason: `${outcome}: ${message}`,
            path,
            raw: quarantineText(original),
            receivedAt: receivedAtIso,
          });
        }
      };
      const sentAt = isDateString(request.sentAt) ? request.sentAt : undefined;
      // What every event of the request shares, worked out once.
      const shared: SharedEnrichment = {
        sentAt,
        sentAtMs: sentAt ? Date.parse(sentAt) : Number.NaN,
        ip: truncateIp(request.ip),
        receivedAtMs,
        receivedAtIso,
      };
      // The envelope's context is merged into every event, so an unsafe value there rejects each of them.
      const envelopeUnsafe =
        request.deepCheck && request.context ? findUnsafeValue(request.context, ['context'], 1) : null;

      for (let index = 0; index < request.events.length; index++) {
        const original = request.events[index];
        if (!isPlainObject(original)) {
          reject(index, 'invalid', '', 'an event must be a JSON object', original ?? null);
          continue;
        }
        // Before anything walks the event recursively (JSON.stringify would overflow the stack on a deeply nested one).
        const unsafe = request.deepCheck ? (findUnsafeValue(original) ?? envelopeUnsafe) : null;
        if (unsafe) {
          reject(index, 'invalid', unsafe.path, unsafe.message, original);
          continue;
        }
        const own = original.context;
        const raw = request.context
          ? { ...original, context: { ...request.context, ...(isPlainObject(own) ? own : {}) } }
          : original;
        const mayBeTooLarge = request.bodyBytes === undefined || request.bodyBytes + ADDED_BYTES > LIMITS.maxEventBytes;
        if (mayBeTooLarge && byteLength(JSON.stringify(raw)) > LIMITS.maxEventBytes) {
          reject(index, 'too_large', '', `event is larger than ${LIMITS.maxEventBytes} bytes`, original);
          continue;
        }
        const result = validateEvent(raw, false); // the deep scan ran above
        if (!result.ok) {
          reject(index, 'invalid', result.error.path, result.error.message, original);
          continue;
        }
        const event = result.event;
        if (request.key.requireConsent && event.context?.consent?.categories?.analytics !== true) {
          // Never quarantined: without consent nothing about the event may be kept.
          reject(
            index,
            'no_consent',
            'context.consent.categories.analytics',
            'no analytics consent for a key that requires it',
          );
          continue;
        }
        const ids = [event.anonymousId, event.userId].filter((v): v is string => Boolean(v));
        const suppressed = isSuppressed?.(request.key.key, ids);
        if (suppressed === true || (suppressed instanceof Promise && (await suppressed))) {
          reject(index, 'suppressed', 'anonymousId', 'this id was erased on request; its events are no longer stored');
          continue;
        }
        rows.push(toStoredEvent(event, request, shared));
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

interface SharedEnrichment {
  /** The envelope's `sentAt`, for events without their own, and its parse (NaN for none). */
  sentAt: string | undefined;
  sentAtMs: number;
  /** The request's address, truncated. */
  ip: string | null;
  receivedAtMs: number;
  receivedAtIso: string;
}

function toStoredEvent(event: LoupeEvent, request: IngestRequest, shared: SharedEnrichment): StoredEvent {
  const { receivedAtIso } = shared;
  // The event is this request's own (fresh from JSON.parse, or a copy): enriched in place, as
  // copying every event and its context again was a large share of ingest's garbage.
  const payload = event as LoupeEvent & Record<string, unknown>;
  const context = (payload.context ??= {});
  // analytics.js puts its write key in every event of a batch: it names the request's key, which the row has.
  if (payload.writeKey !== undefined) delete payload.writeKey;
  const ip = typeof context.ip === 'string' ? truncateIp(context.ip) : shared.ip;
  if (ip) context.ip = ip;
  else delete context.ip;
  const userAgent = typeof context.userAgent === 'string' ? context.userAgent : request.userAgent;
  const sentAt = event.sentAt ?? shared.sentAt;
  const sentAtMs = event.sentAt != null ? Date.parse(event.sentAt) : shared.sentAtMs;
  // Segment's libraries send `timestamp`; RudderStack's send `originalTimestamp` and no `timestamp`
  // (and correct it the same way on their server): either is the client's clock at the call.
  const original = event.timestamp ?? event.originalTimestamp;
  const timestamp = new Date(correctTimestampMs(original, sentAtMs, shared.receivedAtMs)).toISOString();
  payload.timestamp = timestamp;
  payload.receivedAt = receivedAtIso;
  if (original) payload.originalTimestamp = original;
  if (sentAt) payload.sentAt = sentAt;
  const name =
    event.type === 'track'
      ? event.event
      : event.type === 'page' || event.type === 'screen'
        ? (event.name ?? null)
        : null;
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

/**
 * The envelope's `sentAt` is copied into every event, so it gets the same check as an event's own:
 * unchecked, a 300 KB string there was stored once per event (2,500 times per request).
 */
function isDateString(value: string | undefined): value is string {
  return value !== undefined && value.length <= 64 && !Number.isNaN(Date.parse(value));
}

/**
 * What a rejected event leaves in quarantine: as sent, cut to 64 KB, with `context.ip` truncated as
 * it would have been when stored (quarantine must not keep what the events table may not).
 */
function quarantineText(original: unknown): string {
  let value = original;
  if (isPlainObject(value) && isPlainObject(value.context) && typeof value.context.ip === 'string') {
    value = { ...value, context: { ...value.context, ip: truncateIp(value.context.ip) } };
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch (error) {
    text = `[not serializable: ${(error as Error).message}]`;
  }
  return text.length > QUARANTINE_MAX_CHARS ? text.slice(0, QUARANTINE_MAX_CHARS) : text;
}

function byteLength(text: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: skip the exact count when it cannot matter.
  return text.length * 3 <= LIMITS.maxEventBytes ? text.length : Buffer.byteLength(text);
}
