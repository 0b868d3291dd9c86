import pg from 'pg';
import { StoreError, storeErrorOf } from './errors.ts';
import type { Queryable, Sql } from './sql.ts';

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /**
   * How long a query waits for a connection — a new one, or a pooled one to come free — before failing
   * STORE_UNAVAILABLE (default 5000 ms): a server that does not answer at all (a dropped route, a
   * frozen host) is then an answer, not a hang.
   */
  connectTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails (the server restarted, a network blip). The pool
   * drops that connection and opens another when needed; without a listener the error would crash
   * the process.
   */
  onIdleError?: (err: Error) => void;
}

/**
 * Opens a pool on a PostgreSQL server. Connects lazily: the first query (the migrations) fails fast.
 *
 * Outages are errors, never crashes: every driver error that says the server cannot be reached is
 * thrown as STORE_UNAVAILABLE (errors.ts), and every connection has an 'error' listener whether idle
 * or checked out — node-postgres emits one when the server ends a connection (57P01 on a fast
 * shutdown), and an 'error' event without a listener kills the process. Once the server is back the
 * pool simply connects again.
 */
export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<Sql> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    // TCP keep-alive: a peer that vanished without closing (a host gone) is noticed, not waited on forever.
    keepAlive: true,
  });
  const onIdleError = options.onIdleError ?? ((err: Error) => process.emitWarning(`PostgreSQL idle connection: ${err.message}`));
  pool.on('error', onIdleError);
  return {
    backend: 'postgres',
    location: redact(connectionString),
    ...queryable(pool),
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw storeErrorOf(err);
      }
      // The pool listens only while a connection is idle; checked out, it is ours to listen to. The
      // query in flight fails with the same error, which is what the caller sees.
      const onLost = (): void => {};
      client.on('error', onLost);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          // A connection that cannot roll back must not go back to the pool half inside a transaction.
          broken = rollbackErr as Error;
        }
        throw storeErrorOf(err);
      } finally {
        client.removeListener('error', onLost);
        client.release(broken);
      }
    },
    async ping(timeoutMs) {
      if (pool.ended) throw new StoreError('STORE_UNAVAILABLE', 'the store is unavailable: it was closed');
      // A connection of its own, not the pool's: a pool busy with long queries is not an outage, and
      // a new connection is what the next request will need.
      const client = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
      client.on('error', () => {});
      try {
        await client.connect();
        await client.query('SELECT 1');
      } catch (err) {
        const translated = storeErrorOf(err);
        if (translated instanceof StoreError) throw translated;
        // Anything else (a password refused, the database dropped) is as fatal to the next request; its
        // words, which may name a user or a database, go to the log as the cause, not into the answer.
        const code = (err as { code?: unknown }).code;
        throw new StoreError('STORE_UNAVAILABLE', `the store is unavailable: SELECT 1 failed${typeof code === 'string' ? ` (${code})` : ''}`, { cause: err });
      } finally {
        await client.end().catch(() => {});
      }
    },
    close: () => pool.end(),
  };
}

function queryable(db: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      try {
        return (await db.query(text, params as unknown[] | undefined)).rows as T[];
      } catch (err) {
        throw storeErrorOf(err);
      }
    },
    async exec(script: string) {
      try {
        // Without parameters pg uses the simple query protocol, which accepts several statements.
        await db.query(script);
      } catch (err) {
        throw storeErrorOf(err);
      }
    },
  };
}

/** host:port/database, for logs: never the password. */
function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.host}${url.pathname}`;
  } catch {
    return 'postgres (unparsable connection string)';
  }
}
