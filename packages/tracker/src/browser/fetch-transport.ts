import type { Transport } from '../core/platform.js';

/**
 * fetch for requests (a string body goes as text/plain: a CORS "simple request", no preflight,
 * the write key in the body), sendBeacon for a page being unloaded.
 */
export function createFetchTransport(): Transport {
  return {
    async send({ method, url, body = null, keepalive = false }) {
      try {
        const response = await fetch(url, { method, body, keepalive, credentials: 'omit' });
        return {
          status: response.status,
          retryAfter: response.headers.get('Retry-After'),
          body: await response.json().catch(() => null),
        };
      } catch {
        return { status: 0, retryAfter: null, body: null };
      }
    },
    beacon(url, body) {
      try {
        return navigator.sendBeacon(url, body);
      } catch {
        return false;
      }
    },
  };
}
