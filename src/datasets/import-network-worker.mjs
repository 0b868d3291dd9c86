/**
 * Entry file of the network-import thread (see compute-worker.mjs for why a plain-JS entry imports
 * the TypeScript module through tsx's scoped loader).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { importNetworkFile } = await tsImport('./import-network.ts', import.meta.url);
try {
  parentPort.postMessage({ ok: true, result: await importNetworkFile(workerData.source, workerData.out) });
} catch (err) {
  parentPort.postMessage({ ok: false, error: { name: err?.name, message: String(err?.message ?? err), code: err?.code, where: err?.where } });
}
