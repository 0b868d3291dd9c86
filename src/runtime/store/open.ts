import { migrate } from './migrate.ts';
import { DEFAULT_DATA_DIR, openPglite } from './pglite.ts';
import { type PostgresOptions, openPostgres } from './postgres.ts';
import type { Sql } from './sql.ts';

export interface StoreOptions extends PostgresOptions {
  /** A PostgreSQL server (`DATABASE_URL`); when absent the embedded store is used. */
  databaseUrl?: string;
  /** The embedded store's directory (default `data/store`), or `memory://` for a throwaway one. */
  dataDir?: string;
}

/**
 * The store the service runs on, schema up to date: a PostgreSQL server when `databaseUrl` is given,
 * else embedded PGlite — nothing to install or start.
 */
export async function openStore(options: StoreOptions = {}): Promise<Sql> {
  const sql = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options)
    : await openPglite(options.dataDir ?? DEFAULT_DATA_DIR);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close();
    throw err;
  }
  return sql;
}
