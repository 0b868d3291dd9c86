/**
 * Storage for API keys, stored datasets, coverage jobs and their runs: embedded PGlite by default,
 * a PostgreSQL server when `DATABASE_URL` is set; one schema, migrated at open.
 *
 * Repository functions take the store (or a transaction's `tx`) first and, for anything a caller
 * owns, the owner's key id second: another owner's id behaves exactly like a missing one.
 */
export { openStore, type StoreOptions } from './open.ts';
export { DEFAULT_DATA_DIR, MEMORY_DATA_DIR } from './pglite.ts';
export type { Queryable, Sql } from './sql.ts';
export { StoreError, type StoreErrorCode, isStoreUnavailable } from './errors.ts';
export { newId } from './ids.ts';
export {
  AmbiguousKeyError,
  type ApiKey,
  type StoredApiKey,
  createApiKey,
  findApiKeyByHash,
  findApiKeyByKey,
  listApiKeys,
  revokeApiKey,
  syncApiKeys,
} from './api-keys.ts';
export {
  type Bbox,
  type Dataset,
  type DatasetInput,
  type DatasetKind,
  type DatasetSummary,
  createDataset,
  deleteDataset,
  getDataset,
  getDatasetHead,
  getPointsSource,
  listDatasets,
  type PointsSourceText,
  replaceDataset,
} from './datasets.ts';
export {
  JOB_KINDS,
  type Job,
  type JobError,
  type JobKind,
  type JobProgress,
  type JobState,
  cancelJob,
  enqueueJob,
  getJob,
  listJobs,
} from './jobs.ts';
export { claimNextJob, completeJob, failJob, heartbeat, recordProgress } from './job-leases.ts';
export { type Run, type RunInput, type RunSummary, getRun, listRuns } from './runs.ts';
export { type PieceRef, type RunPiece, discardRunPieces, readRunPiece, storeRunPiece } from './run-pieces.ts';
