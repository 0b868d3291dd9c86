import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/*
 * The suite's threads and child processes start from JavaScript, not through tsx. A thread or
 * process that loads src/ through tsx pays for the TypeScript loader on every module of every start
 * — about 1.2 s more CPU per compute thread, 0.5 s per import process, 2 s per server — and the
 * suite starts hundreds of them. So before any test runs, the global setup transpiles src/ once
 * into COMPILED_SOURCE with esbuild, the transform tsx itself applies (per file, types stripped:
 * the tsconfig's isolatedModules and verbatimModuleSyntax make that exact), and points the tests
 * at it with LIFECIRCLE_COMPILED_SRC (src/runtime/threads/entry-file.ts):
 *  - a thread or child process started by code the tests import from src/ starts from its
 *    compiled copy;
 *  - the tests that start a server, the CLI or the nightly as a process start the compiled copy's
 *    `server.js` or `edge/cli/main.js`, as `npm start` starts dist/.
 * Running from the TypeScript source (`npm run dev`, `npm run cli`: tsx, source-entry.mjs) keeps
 * its own test (test/api/server.test.ts), and the build's (tsc to dist/) its own (test/api/build.test.ts).
 *
 * The copy sits at the package root's depth, as dist/ does: a module that climbs to the root
 * (`new URL('../../../data/…', import.meta.url)`) finds the same file from either. Each file is
 * written only when it changed, by rename: two suites running at once do not see half a file.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
export const COMPILED_SOURCE = join(ROOT, '.test-build');
/** What entry-file.ts and the process-starting tests read. */
export const COMPILED_SOURCE_VARIABLE = 'LIFECIRCLE_COMPILED_SRC';

// The compiler options esbuild heeds (target: class fields as defined properties; verbatim imports), as tsx reads them.
const TSCONFIG = { compilerOptions: JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions };

/** A relative specifier ending in .ts, in a static or dynamic import or an export … from: as tsc's rewriteRelativeImportExtensions. */
const RELATIVE_TS = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"\n]*?)\.ts\2/g;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Transpiles src/ into COMPILED_SOURCE, and removes what no source there has any more. */
export async function compileSource(): Promise<void> {
  const files = sources(SRC);
  const wanted = new Set<string>();
  await Promise.all(
    files.map(async (file) => {
      const rel = relative(SRC, file).replace(/\.ts$/, '.js');
      const out = join(COMPILED_SOURCE, rel);
      wanted.add(out);
      const { code } = await transform(readFileSync(file, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        // A process started with --enable-source-maps (the tests' servers, as `npm start`) names the .ts line in its stack traces.
        sourcemap: 'inline',
        sourcefile: file,
        tsconfigRaw: TSCONFIG,
      });
      const js = code.replace(RELATIVE_TS, '$1$2$3.js$2');
      let current: string | undefined;
      try {
        current = readFileSync(out, 'utf8');
      } catch {
        current = undefined;
      }
      if (current === js) return;
      mkdirSync(dirname(out), { recursive: true });
      const draft = `${out}.${process.pid}.tmp`;
      writeFileSync(draft, js);
      renameSync(draft, out);
    }),
  );
  for (const stale of compiledFiles(COMPILED_SOURCE)) if (!wanted.has(stale)) rmSync(stale, { force: true });
}

function compiledFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? compiledFiles(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : []));
}

/** `node <this> …` starts the compiled copy of `src/<path>.ts`. */
export function compiledEntry(srcPath: string): string {
  if (!srcPath.startsWith('src/') || !srcPath.endsWith('.ts')) throw new Error(`compiledEntry: got "${srcPath}", expected src/….ts`);
  return join(COMPILED_SOURCE, srcPath.slice('src/'.length, -'.ts'.length) + '.js');
}
