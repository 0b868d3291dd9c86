import { StoreError } from './errors.ts';
import { type Migration, MIGRATIONS } from './migrations/index.ts';
import type { Sql } from './sql.ts';

/**
 * Session-independent key of the advisory lock that serialises migrations: two servers starting at
 * once against one database would otherwise both see an empty `schema_migrations` and both create
 * the tables (one fails on a duplicate type). Any bigint works; this one spells "lcmigr".
 */
const MIGRATION_LOCK_KEY = 0x6c636d696772;

/**
 * Brings the schema up to date: every migration not yet recorded in `schema_migrations` is applied,
 * all in one transaction, so a failure leaves the database as it was. Returns the versions applied.
 */
export async function migrate(sql: Sql, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  checkOrder(migrations);
  return sql.transaction(async (tx) => {
    // Transaction-scoped: released at commit or rollback, even if this process dies.
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const newest = migrations.at(-1)?.version ?? 0;
    const ahead = [...done].filter((v) => v > newest);
    if (ahead.length > 0) {
      throw new StoreError('SCHEMA_TOO_NEW', `store ${sql.location}: schema version ${Math.max(...ahead)} is applied, expected at most ${newest}; this build is older than the database, deploy a newer one`);
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    const previous = i === 0 ? 0 : migrations[i - 1].version;
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`migration ${i} (${m.name}): version ${m.version}, expected an integer above ${previous}`);
    }
  });
}
