/**
 * Entry file of the city-wide coverage worker threads: loads the TypeScript worker through tsx's
 * scoped loader (`tsImport`), as src/api/compute-worker.mjs does and for the same reason — a worker
 * thread does not inherit the TypeScript loader in every setting (vitest, npm start).
 */
import { tsImport } from 'tsx/esm/api';

const { runCityTask } = await tsImport('./worker.ts', import.meta.url);

export default runCityTask;
