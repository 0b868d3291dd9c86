import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type Sql, MEMORY_DATA_DIR } from '../../src/runtime/store/index.ts';
import { migrate } from '../../src/runtime/store/migrate.ts';
import { MIGRATIONS } from '../../src/runtime/store/migrations/index.ts';
import { pgliteStore } from '../../src/runtime/store/pglite.ts';

/*
 * Embedded stores for the tests, without paying for initdb each time. initdb in PGlite's WebAssembly
 * takes ~3 s of CPU on a quiet machine (ten times that on a busy one) and peaks at ~800 MB: it runs
 * once per PGlite version and schema, into node_modules/.cache, and every store starts from a copy.
 *  - `sharedStore()`: the worker's one store (the projects do not isolate their files, so a worker
 *    opens it once for every file it runs), emptied by `resetStore` between tests;
 *  - `memoryStore()`: a store of the test's own, for tests that close it or break it on purpose;
 *  - `freshDataDir(dir)`: a data directory as initdb leaves it, for tests of opening and migrating;
 *    `freshDataDir(dir, 'migrated')`, as a started server leaves it, for the rest.
 */

/** The worker's one migrated in-memory store, emptied: every table but the schema's version rows. */
export async function sharedStore(): Promise<Sql> {
  const worker = globalThis as { [SHARED]?: Promise<Sql> };
  worker[SHARED] ??= memoryStore().then((sql) => ({
    ...sql,
    // The next file needs it: a test that closes its store (an outage) takes one of its own.
    close: async () => {
      throw new Error('the shared test store is not closed by a test: use memoryStore() for a store to close');
    },
  }));
  const sql = await worker[SHARED];
  await resetStore(sql);
  return sql;
}

/** Empties every table the migrations made, as a new store has them. */
export async function resetStore(sql: Sql): Promise<void> {
  const tables = await sql.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`);
  await sql.exec(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

/** A migrated in-memory store of its own (close it when done), in a fraction of openStore's time. */
export async function memoryStore(): Promise<Sql> {
  const db = await PGlite.create({ loadDataDir: new Blob([readFileSync(join(storeTemplate(), 'migrated.tar'))]) });
  const sql = pgliteStore(db, MEMORY_DATA_DIR);
  // Applies nothing unless a migration was added since the template: then the template is rebuilt on
  // the next run (its name carries the schema's hash) and this store is brought up to date meanwhile.
  await migrate(sql);
  return sql;
}

/**
 * Fills the empty directory `dir` with a data directory as initdb makes it — no schema yet: opening it
 * runs every migration (~1 s of CPU) — or, `migrated`, as a server leaves it once started on it.
 */
export function freshDataDir(dir: string, state: 'initdb' | 'migrated' = 'initdb'): void {
  cpSync(join(storeTemplate(), state === 'initdb' ? 'pgdata' : 'pgdata-migrated'), dir, { recursive: true });
}

const SHARED = Symbol.for('lifecircle.test.sharedStore');
/** The templates' layout (build-store-template.ts): 2 added `pgdata-migrated`. */
const TEMPLATES = 2;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The templates' directory, built when missing (vitest's global setup builds it before any worker
 * starts; concurrent runs each build aside and the first rename wins). Named by the PGlite version,
 * the migrations and what it holds (TEMPLATES), so that a new version of any gets a new template.
 */
export function storeTemplate(): string {
  const pglite = JSON.parse(readFileSync(join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version;
  const schema = createHash('sha256').update(JSON.stringify(MIGRATIONS)).digest('hex').slice(0, 12);
  const cache = join(ROOT, 'node_modules/.cache/lifecircle-test-store');
  const dir = join(cache, `pglite-${pglite}-${schema}-t${TEMPLATES}`);
  if (existsSync(join(dir, 'migrated.tar'))) return dir;
  mkdirSync(cache, { recursive: true });
  const draft = mkdtempSync(join(cache, 'draft-'));
  try {
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/build-store-template.ts'), draft], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
    renameSync(draft, dir);
  } catch (err) {
    if (!existsSync(join(dir, 'migrated.tar'))) throw err;
  } finally {
    rmSync(draft, { recursive: true, force: true });
  }
  return dir;
}
