/**
 * PostgreSQL `text` cannot hold U+0000 (SQLite can). The collector rejects events that contain
 * it, but ids from a URL or a Basic auth header reach lookups unfiltered, and one such value in
 * a query is an error, not an empty answer. These helpers keep NUL away from the server.
 */

export function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

/** Values with a NUL cannot be stored, so they match nothing: drop them from lookups. */
export function storable(values: readonly string[]): string[] {
  return values.filter((v) => !hasNul(v));
}

/**
 * For logs kept as evidence (audit, quarantine): NUL spelled as JSON spells it, six characters,
 * so a quarantined raw body stays the JSON it was and nothing is silently dropped.
 */
export function escapeNul(value: string): string;
export function escapeNul(value: string | null): string | null;
export function escapeNul(value: string | null): string | null {
  return value !== null && hasNul(value) ? value.replaceAll('\u0000', '\\u0000') : value;
}
