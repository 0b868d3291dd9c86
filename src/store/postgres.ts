import pg from 'pg';
import type { Queryable, Sql } from './sql.ts';

export interface PostgresOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /**
   * Called when an idle pooled connection fails (the server restarted, a network blip). The pool
   * drops that connection and opens another when needed; without a listener the error would crash
   * the process.
   */
  onIdleError?: (err: Error) => void;
}

/** Opens a pool on a PostgreSQL server. Connects lazily: the first query (the migrations) fails fast. */
export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<Sql> {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  const onIdleError = options.onIdleError ?? ((err: Error) => process.emitWarning(`PostgreSQL idle connection: ${err.message}`));
  pool.on('error', onIdleError);
  return {
    backend: 'postgres',
    location: redact(connectionString),
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
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
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function queryable(db: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      return (await db.query(text, params as unknown[] | undefined)).rows as T[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await db.query(script);
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
