import type { EventType, LoupeEvent } from '@loupe/schema';
import type { AuditEntry, StoredEvent, WriteKey } from '../types.js';

/** `id` is a bigint, which node-postgres returns as a string; it only travels back as a cursor. */
export interface EventRow {
  id: string;
  write_key: string;
  message_id: string;
  type: string;
  anonymous_id: string | null;
  user_id: string | null;
  name: string | null;
  ts: string;
  received_at: string;
  session_id: string | null;
  ip: string | null;
  is_bot: boolean;
  /** `json` columns arrive parsed. */
  payload: LoupeEvent;
}

export const EVENT_COLUMNS =
  'id, write_key, message_id, type, anonymous_id, user_id, name, ts, received_at, session_id, ip, is_bot, payload';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    writeKey: row.write_key,
    messageId: row.message_id,
    type: row.type as EventType,
    anonymousId: row.anonymous_id,
    userId: row.user_id,
    name: row.name,
    timestamp: row.ts,
    receivedAt: row.received_at,
    sessionId: row.session_id,
    ip: row.ip,
    isBot: row.is_bot,
    payload: row.payload,
  };
}

export interface KeyRow {
  key: string;
  name: string | null;
  origins: string[];
  require_consent: boolean;
  retention_days: number;
  created_at: string;
}

export function toWriteKey(row: KeyRow): WriteKey {
  return {
    key: row.key,
    name: row.name,
    origins: row.origins,
    requireConsent: row.require_consent,
    retentionDays: row.retention_days,
    createdAt: row.created_at,
  };
}

export interface AuditRow {
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown> | null;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    ...(row.detail ? { detail: row.detail } : {}),
  };
}
