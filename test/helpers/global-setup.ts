import { storeTemplate } from './store.ts';

/** Before any worker starts: the embedded store's templates (store.ts), built once, not once per worker. */
export default function setup(): void {
  storeTemplate();
}
