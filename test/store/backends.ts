import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { throwawayDatabase } from '../../scripts/lib/throwaway-database.ts';
import { type Sql, type StoreOptions, openStore } from '../../src/runtime/store/index.ts';
import { freshDataDir, memoryStore } from '../helpers/store.ts';

/**
 * Every storage test runs once per backend: embedded PGlite always, PostgreSQL when `DATABASE_URL`
 * points at a server (`scripts/postgres-test.sh start`). On CI a missing server is a failure, not a
 * skip: the suite must never pass without having run against PostgreSQL.
 */
export interface Backend {
  name: 'pglite' | 'postgres';
  /**
   * A new, empty place to store, with the options that open it: an in-memory PGlite (a directory when
   * `persistent`, so it can be closed and reopened: as initdb leaves it, copied from a template, with
   * no schema yet), or a new database on the server.
   */
  freshTarget(options?: { persistent?: boolean }): Promise<Target>;
}

export interface Target {
  options: StoreOptions;
  /** Removes the directory or drops the database; close the stores on it first. */
  dispose(): Promise<void>;
}

export function describeBackends(title: string, body: (backend: Backend) => void): void {
  describe(`${title} [pglite]`, () => body(pglite));
  const url = process.env.DATABASE_URL;
  if (url) {
    describe(`${title} [postgres]`, () => body(postgres(url)));
  } else if (onCI()) {
    describe(`${title} [postgres]`, () => {
      it('has a PostgreSQL server to run against', () => {
        throw new Error('CI is set but DATABASE_URL is not: the storage suite must run against PostgreSQL on CI (.ci/run starts one with scripts/postgres-test.sh)');
      });
    });
  } else {
    console.warn(`${title}: DATABASE_URL is not set, skipping the PostgreSQL backend (bash scripts/postgres-test.sh start prints one)`);
    describe.skip(`${title} [postgres]`, () => body(postgres('postgres://unset')));
  }
}

/**
 * A migrated store on a fresh target, for a `beforeAll`; `done()` closes and disposes of it. On PGlite,
 * a copy of a migrated template (test/helpers/store.ts): opening and migrating are tested elsewhere.
 */
export async function openFreshStore(backend: Backend): Promise<{ sql: Sql; done(): Promise<void> }> {
  if (backend.name === 'pglite') {
    const sql = await memoryStore();
    return { sql, done: () => sql.close() };
  }
  const target = await backend.freshTarget();
  const sql = await openStore(target.options);
  return {
    sql,
    async done() {
      await sql.close();
      await target.dispose();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pglite: Backend = {
  name: 'pglite',
  async freshTarget({ persistent = false } = {}) {
    if (!persistent) return { options: { dataDir: 'memory://' }, dispose: async () => {} };
    const dir = mkdtempSync(join(tmpdir(), 'lifecircle-store-'));
    freshDataDir(dir);
    return { options: { dataDir: dir }, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function postgres(serverUrl: string): Backend {
  return {
    name: 'postgres',
    async freshTarget() {
      // One database per target: test files run in parallel and job claims see every job in a database.
      const database = await throwawayDatabase(serverUrl, 'lc_test');
      return { options: { databaseUrl: database.url }, dispose: database.drop };
    },
  };
}

function onCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}
