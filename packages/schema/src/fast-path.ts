import { LIMITS } from './limits.js';
import type { LoupeEvent } from './types.js';

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const optDict = (v: unknown) => v === undefined || isDict(v);
const optString = (v: unknown, max: number) => v === undefined || (typeof v === 'string' && v.length <= max);
const nullishString = (v: unknown, max: number) => v === null || optString(v, max);
const optDate = (v: unknown) =>
  v === undefined || (typeof v === 'string' && v.length <= 64 && !Number.isNaN(Date.parse(v)));

/** `string ≤ 256 | finite number | null | undefined` (`required`: a non-empty string or a number). */
function identifier(v: unknown, required: boolean): boolean {
  if (typeof v === 'string') return v.length <= 256 && (!required || v.length > 0);
  if (typeof v === 'number') return Number.isFinite(v);
  return !required && (v === undefined || v === null);
}

const ID_FIELDS = ['anonymousId', 'userId', 'previousId', 'groupId'] as const;

function context(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isDict(v)) return false;
  if (!optDict(v.page) || !optString(v.userAgent, 1024)) return false;
  const s = v.sessionId;
  if (s !== undefined && !(typeof s === 'number' || (typeof s === 'string' && s.length <= 128))) return false;
  const consent = v.consent;
  if (consent === undefined) return true;
  if (!isDict(consent) || !isDict(consent.categories)) return false;
  for (const key in consent.categories) if (typeof consent.categories[key] !== 'boolean') return false;
  return true;
}

/**
 * The common case, checked without zod: true when `raw` certainly satisfies `eventSchema`, in
 * which case it is normalized in place exactly as the schema's transforms would (numeric ids
 * become strings) and can be used as is. False means "ask zod", which also names what is wrong.
 * Zod allocates a copy of every event it parses; at tens of thousands of events a second that
 * garbage was a fifth of ingest's CPU. A property test holds the two to the same verdicts.
 */
export function acceptsFast(raw: unknown): raw is LoupeEvent {
  if (!isDict(raw)) return false;
  const e = raw;
  const messageId = e.messageId;
  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > LIMITS.maxMessageIdLength)
    return false;
  if (!optDate(e.timestamp) || !optDate(e.originalTimestamp) || !optDate(e.sentAt)) return false;
  if (!context(e.context) || !optDict(e.integrations)) return false;
  switch (e.type) {
    case 'track':
      if (typeof e.event !== 'string' || e.event.length === 0 || e.event.length > 256 || !optDict(e.properties))
        return false;
      break;
    case 'page':
      if (!nullishString(e.name, 512) || !nullishString(e.category, 512) || !optDict(e.properties)) return false;
      break;
    case 'screen':
      if (!nullishString(e.name, 512) || !optDict(e.properties)) return false;
      break;
    case 'identify':
      if (!optDict(e.traits)) return false;
      break;
    case 'alias':
      if (!identifier(e.previousId, true)) return false;
      break;
    case 'group':
      if (!identifier(e.groupId, true) || !optDict(e.traits)) return false;
      break;
    default:
      return false;
  }
  if (!identifier(e.anonymousId, false) || !identifier(e.userId, false)) return false;
  // The schema tests for an id after its transform, so 0 counts (as "0").
  const present = (v: unknown) => typeof v === 'number' || Boolean(v);
  if (!present(e.anonymousId) && !present(e.userId)) return false;
  // Only now, with the verdict known: an event handed to zod must reach it unchanged.
  for (const field of ID_FIELDS) {
    const own =
      field === 'anonymousId' ||
      field === 'userId' ||
      (field === 'previousId' ? e.type === 'alias' : e.type === 'group');
    if (own && typeof e[field] === 'number') e[field] = String(e[field]);
  }
  return true;
}
