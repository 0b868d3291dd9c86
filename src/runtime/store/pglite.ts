import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.ts';
import { StoreError, storeErrorOf } from './errors.ts';
import { entryFile } from '../threads/entry-file.ts';
import type { Queryable, Sql } from './sql.ts';

/** Where the embedded store keeps its files unless told otherwise (relative to the working directory). */
export const DEFAULT_DATA_DIR = 'data/store';

/** In-memory PGlite: nothing on disk, gone on close (tests). */
export const MEMORY_DATA_DIR = 'memory://';

/**
 * Opens the embedded PostgreSQL (PGlite, WASM) on a data directory, created when missing.
 *
 * PGlite itself does not notice a second instance on the same directory — both would write to it and
 * the data would be lost — so the directory is locked for as long as the store is open.
 */
export async function openPglite(dataDir: string = DEFAULT_DATA_DIR): Promise<Sql> {
  const inMemory = dataDir.startsWith('memory://');
  const dir = inMemory ? dataDir : resolve(dataDir);
  let unlock = (): void => {};
  if (!inMemory) {
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
  }
  let db: PGlite;
  try {
    // A new directory is created in a child process (see pglite-initdb.ts): this process then opens
    // it at ~400 MB instead of keeping initdb's ~800 MB peak.
    if (!inMemory && !existsSync(join(dir, 'PG_VERSION'))) await initdbInChild(dir);
    db = await PGlite.create(dir);
  } catch (err) {
    unlock();
    throw err;
  }
  return pgliteStore(db, dir, unlock);
}

/**
 * An open PGlite as the store, schema as it is (`openStore` migrates); `unlock` runs after it closes.
 * Also for the tests, which open theirs from a ready-made data directory instead of running initdb.
 */
export function pgliteStore(db: PGlite, location: string, unlock: () => void = () => {}): Sql {
  return {
    backend: 'pglite',
    location,
    ...queryable(db),
    // PGlite serialises everything on its one connection, so the transaction holds the store until done.
    async transaction(fn) {
      try {
        return await db.transaction((tx) => fn(queryable(tx)));
      } catch (err) {
        throw storeErrorOf(err);
      }
    },
    // In this process: it answers unless it was closed. Not a query, which would wait behind a long
    // transaction (storing a large run) on the one connection and look like an outage.
    async ping() {
      if (db.closed) throw new StoreError('STORE_UNAVAILABLE', 'the store is unavailable: it was closed');
    },
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}

function initdbInChild(dir: string): Promise<void> {
  const entry = entryFile('./pglite-initdb.ts', import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fileURLToPath(entry.url), ...entry.argv, dir], { timeout: 120_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`creating the embedded store in ${dir} failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
  });
}

function queryable(db: PGlite | Transaction): Queryable {
  return {
    async query<T>(text: string, params?: readonly unknown[]) {
      try {
        return (await db.query<T>(text, params as unknown[] | undefined)).rows;
      } catch (err) {
        throw storeErrorOf(err);
      } finally {
        // PGlite runs each statement on this thread and settles without a macrotask: statements
        // awaited one after another would hold the event loop as one long task. Give it back.
        await yieldToLoop();
      }
    },
    async exec(script: string) {
      try {
        await db.exec(script);
      } catch (err) {
        throw storeErrorOf(err);
      }
    },
  };
}
