import { z } from 'zod';

const SOURCES = ['banner', 'api', 'gpc', 'tcf', 'consent-mode'] as const;
export type ConsentRecordSource = (typeof SOURCES)[number];

const signal = z.strictObject({
  name: z.string().min(1).max(32),
  value: z.string().max(256),
  /** What the signal changed, in words: "personalization off because GPC=1". */
  effect: z.string().max(200).optional(),
});

/**
 * The body of `POST /v1/consent`. Unknown fields are dropped, not stored: the record keeps only
 * what proves the decision. Raw user agents are never taken from the body or the headers.
 */
export const consentRecordInput = z.object({
  writeKey: z.string().max(200).optional(),
  recordId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,100}$/)
    .optional(),
  anonymousId: z.string().min(1).max(200),
  categories: z.object({
    necessary: z.boolean().optional(),
    analytics: z.boolean().optional(),
    personalization: z.boolean().optional(),
    marketing: z.boolean().optional(),
  }),
  source: z.enum(SOURCES),
  /** grant, deny, revoke or update: a withdrawal is recorded like any decision. */
  reason: z.enum(['grant', 'deny', 'revoke', 'update']).optional(),
  policyVersion: z.string().min(1).max(64),
  /** Hash of the banner text that was shown (whatever algorithm the page used, hex or base64). */
  bannerHash: z
    .string()
    .regex(/^[A-Za-z0-9+/=_:-]{8,200}$/)
    .optional(),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/)
    .optional(),
  signals: z.array(signal).max(10).optional(),
  /** The client's time of the decision (ISO 8601). */
  timestamp: z.iso.datetime({ offset: true }),
});

export type ConsentRecordInput = z.infer<typeof consentRecordInput>;
