/**
 * Where our threads and child processes start when the code runs from its TypeScript source (see
 * entry-file.ts): imports the module given as `--entry=<file URL>` through tsx's scoped loader
 * (`tsImport`: tsx for that module and what it imports, whether or not tsx is already active), and
 * passes on its default export, a piscina entry's task function. The build never starts here.
 */
import { tsImport } from 'tsx/esm/api';

const FLAG = '--entry=';
const at = process.argv.findIndex((arg) => arg.startsWith(FLAG));
if (at < 0) throw new Error(`source-entry.mjs: got no ${FLAG}<file URL> argument`);
// Taken out: the module reads its own arguments from process.argv as it would compiled.
const [entry] = process.argv.splice(at, 1);
const loaded = await tsImport(entry.slice(FLAG.length), import.meta.url);

export default loaded.default;
