/**
 * Entry file of a dataset import process (see import-process.ts; and compute-worker.mjs for why a
 * plain-JS entry imports the TypeScript module through tsx's scoped loader). It loads its code,
 * takes one task, answers once, and goes; it goes too if the server does (the channel closes).
 */
import { tsImport } from 'tsx/esm/api';

process.once('disconnect', () => process.exit(1));
// Loaded at once, before a task comes: a spare process is ready when it does.
const tasks = tsImport('./import-tasks.ts', import.meta.url);
tasks.catch(() => {}); // reported with the task
process.once('message', async (task) => {
  let message;
  try {
    const { runImportTask } = await tasks;
    message = { ok: true, result: await runImportTask(task) };
  } catch (err) {
    message = { ok: false, error: { name: err?.name, message: String(err?.message ?? err), code: err?.code, where: err?.where, featureIndex: err?.featureIndex } };
  }
  process.send(message, () => process.disconnect());
});
