import type { Transport } from '../core/platform.js';

/**
 * fetch for requests (a string body goes as text/plain: a CORS "simple request", no preflight,
 * the write key in the body), sendBeacon for a page being unloaded.
 */
export const createFetchTransport = (): Transport => ({
  // The request's own fields (method, body, keepalive) are fetch's; its url is ignored there.
  send: (request) =>
    fetch(request.url, { ...request, credentials: 'omit' }).then(
      async (response) => ({
        status: response.status,
        retryAfter: response.headers.get('Retry-After'),
        body: await response.json().catch(() => null),
      }),
      // No answer: status 0, no header, no body.
      () => ({ status: 0 }),
    ),
  beacon(url, body) {
    try {
      return navigator.sendBeacon(url, body);
    } catch {
      return false;
    }
  },
});
