/**
 * The one interface both storage backends implement: embedded PGlite (the default, nothing to install)
 * and a PostgreSQL server (`DATABASE_URL`). Repositories speak only this, and only plain PostgreSQL, so
 * the same SQL runs on both.
 */

/** Something that runs statements: the store itself, or a transaction handed to `transaction(fn)`. */
export interface Queryable {
  /** One statement with `$1…` parameters; the rows it returns. */
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Sql extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** Where the data lives, safe to log: a directory, or host:port/database without the password. */
  readonly location: string;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
   * Inside, use only `tx`: PGlite has a single connection, so a query on the store itself would wait
   * for the transaction that is waiting for it.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Resolves when the store answers, within `timeoutMs`; throws STORE_UNAVAILABLE otherwise. Cheap
   * (a `SELECT 1` on a connection of its own; for the embedded store, whether it is open): for
   * readiness checks.
   */
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A JSON value as a statement parameter; write the placeholder as `$n::jsonb`. Serialised here, not
 * by the driver, because `pg` turns a JS array into a PostgreSQL array literal rather than JSON.
 */
export function jsonParam(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
