// `pglite-initdb <dir>`: creates a new PGlite data directory (initdb) in a process of its own (started
// through src/runtime/threads/entry-file.ts). initdb's WebAssembly memory peaks at ~800 MB and is never given
// back while its instance lives; here it ends with the process, before the store's user has loaded
// anything.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
await db.close();
