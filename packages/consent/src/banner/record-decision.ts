import type { AppliedSignal } from '../bridges/signal.js';
import type { BannerDecision } from './create-banner.js';

export interface RecordTarget {
  /** The collector's base URL (path prefix included). */
  host: string;
  writeKey: string;
}

/**
 * Sends one decision to `POST /v1/consent`, as proof kept by the collector. `text/plain` keeps it
 * a simple request (no preflight) and `keepalive` lets it finish when the page is left at once.
 * The id is the tracker's anonymous id when there is one, else the decision's own record id.
 */
export function recordDecision(
  { host, writeKey }: RecordTarget,
  decision: BannerDecision,
  anonymousId: string | undefined,
  signals: readonly AppliedSignal[],
): Promise<unknown> {
  const { state } = decision;
  const body = {
    writeKey,
    ...(state.recordId ? { recordId: state.recordId.replace(/[^A-Za-z0-9_-]/g, '') } : {}),
    anonymousId: anonymousId ?? state.recordId ?? 'unknown',
    categories: state.categories,
    source: 'banner',
    reason: decision.reason,
    policyVersion: state.policyVersion,
    bannerHash: decision.bannerHash,
    language: decision.language,
    signals: signals.slice(0, 10),
    timestamp: state.updatedAt ?? new Date().toISOString(),
  };
  return fetch(`${host.replace(/\/+$/, '')}/v1/consent`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(body),
    keepalive: true,
    credentials: 'omit',
  }).catch(() => undefined);
}
