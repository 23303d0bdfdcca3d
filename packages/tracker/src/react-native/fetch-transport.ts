import type { Transport } from '../core/platform.js';

export interface FetchTransportOptions {
  fetch?: typeof fetch;
  /** A mobile request can hang for minutes (captive portal, dead cell); give up and retry later. */
  timeoutMs?: number;
}

/** fetch with a timeout; an app has no `sendBeacon`, so `beacon` declines and the queue keeps the events. */
export function createFetchTransport({
  fetch: request = (...args) => fetch(...args),
  timeoutMs = 30_000,
}: FetchTransportOptions = {}): Transport {
  return {
    async send({ method, url, body }) {
      const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
      const timer = setTimeout(() => abort?.abort(), timeoutMs);
      try {
        const init: RequestInit = {
          method,
          body: body ?? null,
          headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        };
        if (abort) init.signal = abort.signal;
        const response = await request(url, init);
        const json: unknown = await response.json().catch(() => null);
        return { status: response.status, retryAfter: response.headers.get('Retry-After'), body: json };
      } catch {
        return { status: 0, retryAfter: null, body: null };
      } finally {
        clearTimeout(timer);
      }
    },
    beacon: () => false,
  };
}
