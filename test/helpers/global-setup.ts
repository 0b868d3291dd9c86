import { compileSource } from './compiled-source.ts';
import { storeTemplate } from './store.ts';

/**
 * Before any worker starts: the compiled copy of src/ that threads and child processes start from
 * (compiled-source.ts), and the embedded store's templates (store.ts), built once, not once per worker.
 */
export default async function setup(): Promise<void> {
  await compileSource();
  storeTemplate();
}
