import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SuspendableStore } from '../../src/runtime/nightly/suspendable-store.ts';
import { type Sql, openStore } from '../../src/runtime/store/index.ts';
import { freshDataDir } from '../helpers/store.ts';

/**
 * The nightly closes the embedded store while it computes a city and opens it again after: the data
 * stays, the directory is free meanwhile, and a query made meanwhile waits for the store rather than
 * failing.
 */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-suspend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// As initdb leaves it (the cached template), without initdb's seconds: opening and migrating is the subject here.
freshDataDir(dir);

describe('SuspendableStore', () => {
  it('closes the embedded store during the work, reopens it after, with its data', async () => {
    const open = () => openStore({ dataDir: dir });
    const store = new SuspendableStore(await open(), open);
    await store.exec('CREATE TABLE IF NOT EXISTS kept (v int); INSERT INTO kept VALUES (7);');
    let waited: Promise<unknown> | undefined;
    const answer = await store.closedDuring(async () => {
      // Closed: another process could open the directory now (here: this one, and close it again).
      const other: Sql = await openStore({ dataDir: dir });
      await other.close();
      waited = store.query<{ v: number }>('SELECT v FROM kept');
      return 42;
    });
    expect(answer).toBe(42);
    expect(await waited).toEqual([{ v: 7 }]);
    expect(await store.query('SELECT v FROM kept')).toEqual([{ v: 7 }]);
    await store.close();
  });

  it('fails the waiting queries with the reopen\'s error, not a hang', async () => {
    const first = await openStore({ dataDir: dir });
    const store = new SuspendableStore(first, () => Promise.reject(new Error('the data directory is locked by another process')));
    let waited: Promise<unknown> | undefined;
    await expect(
      store.closedDuring(async () => {
        waited = store.query('SELECT 1');
      }),
    ).rejects.toThrow(/locked by another process/);
    await expect(waited).rejects.toThrow(/locked by another process/);
  });
});
