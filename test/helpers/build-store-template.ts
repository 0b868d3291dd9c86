/**
 * `node --import tsx test/helpers/build-store-template.ts <dir>`: the embedded store's templates for
 * the tests (see store.ts), built in a process of its own so that initdb's ~800 MB peak goes with it:
 *  - `<dir>/pgdata/`: a data directory fresh from initdb, with no schema (what a new DATA_DIR holds
 *    once initdb ran; opening it still runs every migration);
 *  - `<dir>/migrated.tar`: the same database with every migration applied, for in-memory stores;
 *  - `<dir>/pgdata-migrated/`: a data directory with every migration applied (what a DATA_DIR holds
 *    once a server has started on it).
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from '../../src/runtime/store/migrate.ts';
import { pgliteStore } from '../../src/runtime/store/pglite.ts';

const dir = process.argv[2];
const fresh = await PGlite.create(join(dir, 'pgdata'));
const blank = await fresh.dumpDataDir('none');
await fresh.close();

const memory = await PGlite.create({ loadDataDir: blank });
await migrate(pgliteStore(memory, 'the template'));
writeFileSync(join(dir, 'migrated.tar'), new Uint8Array(await (await memory.dumpDataDir('none')).arrayBuffer()));
await memory.close();

cpSync(join(dir, 'pgdata'), join(dir, 'pgdata-migrated'), { recursive: true });
const started = await PGlite.create(join(dir, 'pgdata-migrated'));
await migrate(pgliteStore(started, 'the migrated template'));
await started.close();
