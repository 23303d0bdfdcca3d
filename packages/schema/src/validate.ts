/**
 * @module @loupe/schema/validate: zod validators for the wire contract. Imported by the
 * collector only; the tracker imports types from the package root, so zod stays out of loupe.js.
 */
import { z } from 'zod';
import { acceptsFast } from './fast-path.js';
import { LIMITS } from './limits.js';
import type { LoupeEvent, RejectedEvent } from './types.js';

const isoDate = z
  .string()
  .max(64)
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO 8601 date');
/** Segment libraries send ids as strings, some send numbers; both are stored as strings. */
const identifier = z
  .union([z.string().max(256), z.number().finite()])
  .transform((v) => String(v))
  .nullish();
const dict = z.record(z.string(), z.unknown());

const base = {
  messageId: z.string().min(1).max(LIMITS.maxMessageIdLength),
  anonymousId: identifier,
  userId: identifier,
  timestamp: isoDate.optional(),
  originalTimestamp: isoDate.optional(),
  sentAt: isoDate.optional(),
  context: z
    .looseObject({
      page: dict.optional(),
      userAgent: z.string().max(1024).optional(),
      sessionId: z.union([z.string().max(128), z.number()]).optional(),
      consent: z.looseObject({ categories: z.record(z.string(), z.boolean()) }).optional(),
    })
    .optional(),
  integrations: dict.optional(),
};

const track = z.looseObject({
  ...base,
  type: z.literal('track'),
  event: z.string().min(1).max(256),
  properties: dict.optional(),
});
const page = z.looseObject({
  ...base,
  type: z.literal('page'),
  name: z.string().max(512).nullish(),
  category: z.string().max(512).nullish(),
  properties: dict.optional(),
});
const screen = z.looseObject({
  ...base,
  type: z.literal('screen'),
  name: z.string().max(512).nullish(),
  properties: dict.optional(),
});
const identify = z.looseObject({ ...base, type: z.literal('identify'), traits: dict.optional() });
const alias = z.looseObject({
  ...base,
  type: z.literal('alias'),
  previousId: z.union([z.string().min(1).max(256), z.number()]).transform(String),
});
const group = z.looseObject({
  ...base,
  type: z.literal('group'),
  groupId: z.union([z.string().min(1).max(256), z.number()]).transform(String),
  traits: dict.optional(),
});

export const eventSchema = z
  .discriminatedUnion('type', [track, page, screen, identify, alias, group])
  .refine((e) => Boolean(e.anonymousId) || Boolean(e.userId), {
    message: 'anonymousId or userId is required',
    path: ['anonymousId'],
  });

export const batchEnvelopeSchema = z.looseObject({
  batch: z.array(z.unknown()),
  sentAt: isoDate.optional(),
  writeKey: z.string().max(256).optional(),
  context: dict.optional(),
});

/** Keys that would reach an object's prototype if a consumer ever merged the payload. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Finds a forbidden key or a NUL character anywhere in a JSON value; returns the path of the first. */
export function findUnsafeValue(
  value: unknown,
  path: string[] = [],
  depth = 0,
): { path: string; message: string } | null {
  if (depth > 32) return { path: path.join('.'), message: 'nested deeper than 32 levels' };
  if (typeof value === 'string') {
    return value.includes('\u0000') ? { path: path.join('.'), message: 'NUL character not allowed' } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeValue(value[i], [...path, String(i)], depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return { path: [...path, key].join('.'), message: `forbidden key "${key}"` };
    if (key.includes('\u0000')) return { path: path.join('.'), message: 'NUL character not allowed in a key' };
    const found = findUnsafeValue((value as Record<string, unknown>)[key], [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

export { acceptsFast };

export type EventValidation = { ok: true; event: LoupeEvent } | { ok: false; error: Omit<RejectedEvent, 'index'> };

/**
 * Validates one event. `deepCheck` scans for prototype keys and NUL characters; callers
 * skip it when the raw body cannot contain them (no `__proto__`, `constructor`, `prototype` or `\u0000`).
 */
export function validateEvent(raw: unknown, deepCheck = true): EventValidation {
  if (deepCheck) {
    const unsafe = findUnsafeValue(raw);
    if (unsafe) return { ok: false, error: unsafe };
  }
  if (acceptsFast(raw)) return { ok: true, event: raw };
  const result = eventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data as LoupeEvent };
  const issue = result.error.issues[0];
  return {
    ok: false,
    error: { path: issue ? issue.path.map(String).join('.') : '', message: issue?.message ?? 'invalid event' },
  };
}
