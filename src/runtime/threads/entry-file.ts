import { pathToFileURL } from 'node:url';

/**
 * The file a worker thread or child process of ours starts from. Run from the build (dist/, `npm
 * start`), a thread starts from its compiled `.js` directly: no TypeScript loader. Run from the
 * TypeScript source (tsx, vitest), it starts from source-entry.mjs, which loads the `.ts` through
 * tsx: a thread does not inherit its parent's TypeScript loader — vitest transforms modules on its
 * own, and Node 20 does not apply a worker's `--import tsx` to the worker's main module.
 *
 *   const entry = entryFile('./compute-worker.ts', import.meta.url);
 *   new Piscina({ filename: entry.url.href, argv: entry.argv });       // or
 *   new Worker(entry.url, { argv: entry.argv });  fork(entry.url, [...entry.argv, ...mine]);
 *
 * A piscina entry answers tasks with its default export.
 */
export interface EntryFile {
  /** What the thread or process starts from. */
  url: URL;
  /** Arguments it needs, before any of the caller's own (source-entry.mjs takes them out again). */
  argv: string[];
}

/** This module's own extension says which: `.ts` from the source, `.js` from the build. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const SOURCE_ENTRY = new URL('./source-entry.mjs', import.meta.url);
const SOURCE_ROOT = new URL('../../', import.meta.url);
/**
 * Run from the source, a compiled copy of it to start threads and processes from instead: the test
 * suite transpiles src/ once (test/helpers/compiled-source.ts) rather than have each of its hundreds
 * of threads and processes load TypeScript through tsx. Read from the build, ignored.
 */
const compiledCopy = () => (FROM_SOURCE ? process.env.LIFECIRCLE_COMPILED_SRC || undefined : undefined);

/** `specifier`: the module as the caller imports it (`./x.ts`), relative to `from` (its `import.meta.url`). */
export function entryFile(specifier: string, from: string): EntryFile {
  if (!specifier.endsWith('.ts')) throw new Error(`entryFile: got "${specifier}", expected a relative .ts module`);
  const copy = compiledCopy();
  if (copy) {
    const source = new URL(specifier, from).href;
    if (!source.startsWith(SOURCE_ROOT.href)) throw new Error(`entryFile: ${source} is not under ${SOURCE_ROOT.href}`);
    return { url: new URL(`${source.slice(SOURCE_ROOT.href.length, -'.ts'.length)}.js`, pathToFileURL(`${copy}/`)), argv: [] };
  }
  if (FROM_SOURCE) return { url: SOURCE_ENTRY, argv: [`--entry=${new URL(specifier, from).href}`] };
  return { url: new URL(`${specifier.slice(0, -'.ts'.length)}.js`, from), argv: [] };
}
