/**
 * Entry of a dataset import process (see import-process.ts). It loads its code, takes one task,
 * answers once, and goes; it goes too if the server does (the channel closes).
 */
import type { ImportTask } from './import-tasks.ts';

process.once('disconnect', () => process.exit(1));
// Loaded at once, before a task comes: a spare process is ready when it does. Imported, not
// imported statically, so that the listeners above and below are in place while it loads.
const tasks = import('./import-tasks.ts');
tasks.catch(() => {}); // reported with the task
process.once('message', async (task: ImportTask) => {
  let message;
  try {
    const { runImportTask } = await tasks;
    message = { ok: true, result: await runImportTask(task) };
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: string; where?: string; featureIndex?: number } | undefined;
    message = { ok: false, error: { name: e?.name, message: String(e?.message ?? err), code: e?.code, where: e?.where, featureIndex: e?.featureIndex } };
  }
  process.send!(message, () => process.disconnect());
});
