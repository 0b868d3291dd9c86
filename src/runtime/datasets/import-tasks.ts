import { type DeclarationFormat, checkDeclarationSet } from './declaration-sets.ts';
import { type ImportedNetwork, importNetworkFile } from './import-network.ts';
import { type CheckedPointSet, type PointFormat, type PointKind, checkPointSet, parsePointSet } from './point-sets.ts';

/**
 * What an import process (import-process.ts, entry import-child.ts) is asked to do, and answers.
 * A point set's payload comes back as JSON text: a string crosses the channel as one copy, where
 * the parsed collection would be rebuilt object by object on the server's thread and then
 * serialized there again for the store.
 */
export type ImportTask =
  | { kind: 'network'; source: string; out: string }
  | { kind: 'points'; what: PointKind; bytes: Uint8Array; format: PointFormat; crs?: string }
  | { kind: 'declarations'; what: 'declarations'; bytes: Uint8Array; format: DeclarationFormat };

export type CheckedPointUpload = Omit<CheckedPointSet, 'payload'> & { payloadJson: string };

export type ImportTaskResult<T extends ImportTask> = T extends { kind: 'network' } ? ImportedNetwork : CheckedPointUpload;

export async function runImportTask(task: ImportTask): Promise<ImportedNetwork | CheckedPointUpload> {
  if (task.kind === 'network') return importNetworkFile(task.source, task.out);
  if (task.kind === 'declarations') {
    const { payload, ...checked } = checkDeclarationSet(task.bytes, task.format);
    return { ...checked, payloadJson: JSON.stringify(payload) };
  }
  const { payload, ...checked } = checkPointSet(task.what, parsePointSet(task.bytes, task.format, task.what, task.crs), task.crs);
  return { ...checked, payloadJson: JSON.stringify(payload) };
}
