/**
 * Entry file of the compute pool's worker threads. A worker thread does not inherit the TypeScript
 * loader in every setting (vitest runs its own transform, not tsx's), so this plain-JS entry
 * imports the TypeScript worker through tsx's scoped loader: `tsImport` registers tsx only for
 * that import and what it imports, and works whether or not tsx is already active (npm start).
 */
import { tsImport } from 'tsx/esm/api';

const { compute } = await tsImport('./compute-worker.ts', import.meta.url);

export default compute;
