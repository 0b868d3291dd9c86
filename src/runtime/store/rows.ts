/**
 * Column values as the two drivers return them: `pg` gives bigint as a string, PGlite as a number;
 * both give timestamptz as a Date. Repositories convert through these so callers see one shape.
 */

/** A timestamp as an ISO 8601 string (what the API answers). */
export function isoTime(value: unknown): string {
  return (value instanceof Date ? value : new Date(String(value))).toISOString();
}

export function isoTimeOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoTime(value);
}

/** A bigint column that fits a double (byte counts). */
export function bigintNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** `LIMIT` for a list: at least 1, at most 1,000, default 100. */
export function listLimit(limit: number | undefined): number {
  return limit === undefined ? 100 : Math.min(1000, Math.max(1, Math.floor(limit)));
}
