// 401/403/404 are configuration errors (key, origin, proxy path) an operator can fix: keep the events.
const RETRIED = [0, 401, 403, 404, 408, 429];

/**
 * Whether a batch is sent again after this answer (see SPEC "Answers"): no answer, a server error,
 * a rate limit or a fixable configuration error. Otherwise a 2xx acknowledges it (its `rejected`
 * refused one by one), a 413 halves it, and anything else drops it.
 */
export const isRetried = (status: number): boolean => status > 499 || RETRIED.includes(status);
