/**
 * Entry file of a coverage job's thread: loads the TypeScript through tsx's scoped loader
 * (`tsImport`), as src/coverage/city-wide/worker.mjs does and for the same reason — a worker thread
 * does not inherit the TypeScript loader in every setting (vitest, npm start).
 */
import { tsImport } from 'tsx/esm/api';

await tsImport('./coverage-thread.ts', import.meta.url);
