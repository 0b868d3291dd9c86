// `node pglite-initdb.mjs <dir>`: creates a new PGlite data directory (initdb) in a process of its
// own. initdb's WebAssembly memory peaks at ~800 MB and is never given back while its instance
// lives; here it ends with the process, before the store's user has loaded anything.
// Plain JavaScript: it needs nothing of the project, so it runs without the TypeScript loader.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
await db.close();
