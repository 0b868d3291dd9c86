/**
 * Entry file of the reach-set worker threads: loads the TypeScript worker through tsx's scoped
 * loader, as src/jobs/coverage-thread.mjs does and for the same reason.
 */
import { tsImport } from 'tsx/esm/api';

const { runReachTask } = await tsImport('./reach-sets-thread.ts', import.meta.url);

export default runReachTask;
