import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, called between the phases of a nightly job. V8 collects lazily: after
 * a city's report is assembled (~200 MB live), the garbage of comparing it and writing 200 MB of
 * files would otherwise pile up to ~1.5 GB resident before the next major collection; collected
 * at the phase boundaries, the run stays under 1 GB. `--expose-gc` is switched on here when the
 * process was not started with it (the cron line should not need to know).
 */
export const collectGarbage: () => void = exposeGc();

function exposeGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // Not available in this runtime: collection is left to V8.
  }
  return () => {};
}
