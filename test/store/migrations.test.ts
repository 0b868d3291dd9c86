import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../src/runtime/store/migrate.ts';
import { MIGRATIONS } from '../../src/runtime/store/migrations/index.ts';
import { type Sql, createApiKey, createDataset, findApiKeyByKey, getDataset, openStore } from '../../src/runtime/store/index.ts';
import { type Target, describeBackends } from './backends.ts';

describeBackends('store migrations', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  async function target(): Promise<Target> {
    const t = await backend.freshTarget({ persistent: true });
    cleanup.push(t.dispose);
    return t;
  }
  async function open(t: Target): Promise<Sql> {
    const sql = await openStore(t.options);
    cleanup.push(async () => sql.close().catch(() => {}));
    return sql;
  }

  it('applies every migration once: opening again, or migrating again, applies nothing', async () => {
    // On PGlite a directory that does not exist yet, as a first start finds DATA_DIR: initdb runs.
    const fresh = await target();
    const t = backend.name === 'pglite' ? { ...fresh, options: { dataDir: join(fresh.options.dataDir!, 'new') } } : fresh;
    const first = await open(t);
    const before = await first.query<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(before.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(first)).toEqual([]);
    await first.close();

    const second = await open(t);
    const after = await second.query<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after).toEqual(before);
    const tables = await second.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(['api_keys', 'datasets', 'jobs', 'nightly_runs', 'nightly_steps', 'run_pieces', 'runs', 'schema_migrations']);
  });

  it.runIf(backend.name === 'postgres')('two processes opening an empty database at once both succeed, and migrate it once', async () => {
    const t = await target();
    // Separate pools, as two servers starting together would have; without the advisory lock both
    // see no schema_migrations and one fails creating the same table.
    const stores = await Promise.all([open(t), open(t), open(t)]);
    const rows = await stores[0].query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it.runIf(backend.name === 'pglite')('refuses a second store on a data directory that is open', async () => {
    const t = await target();
    await open(t);
    await expect(openStore(t.options)).rejects.toMatchObject({ code: 'STORE_LOCKED', message: expect.stringContaining('in use by process') });
  });

  it.runIf(backend.name === 'pglite')('takes over the lock a crashed process left behind', async () => {
    const t = await target();
    const dir = t.options.dataDir!;
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, '.lifecircle.lock'), String(dead));
    const sql = await open(t);
    expect(readFileSync(join(dir, '.lifecircle.lock'), 'utf8')).toBe(String(process.pid));
    await sql.close();
  });

  it.runIf(backend.name === 'pglite')('keeps what it stored across close and reopen of its data directory', async () => {
    const t = await target();
    const first = await open(t);
    const key = await createApiKey(first, 'planner');
    const dataset = await createDataset(first, key.id, {
      kind: 'facilities', name: 'clinics', counts: { features: 1 }, bbox: [104, 30, 104.1, 30.1], report: {},
      payload: { type: 'FeatureCollection', features: [] }, sourceBytes: 10,
    });
    await first.close();

    const second = await open(t);
    expect(await findApiKeyByKey(second, key.key)).toMatchObject({ id: key.id, name: 'planner' });
    expect(await getDataset(second, key.id, dataset.id)).toEqual(dataset);
  });

  it('refuses a database migrated by a newer build, naming both versions', async () => {
    const t = await target();
    const sql = await open(t);
    await sql.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
    const newest = MIGRATIONS.at(-1)!.version;
    await expect(migrate(sql)).rejects.toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      message: expect.stringContaining(`schema version 999 is applied, expected at most ${newest}`),
    });
  });

  it('a failing migration leaves nothing of itself behind', async () => {
    const t = await target();
    const sql = await open(t);
    const broken = { version: 1000, name: 'broken', sql: 'CREATE TABLE half_done (a int); SELECT 1 / 0;' };
    await expect(migrate(sql, [...MIGRATIONS, broken])).rejects.toThrow(/division by zero/);
    expect(await sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`)).toEqual([]);
    expect(await sql.query('SELECT 1 FROM schema_migrations WHERE version = 1000')).toEqual([]);
  });
});
