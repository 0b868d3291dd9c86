import { initial } from './001-initial.ts';
import { nightly } from './002-nightly.ts';
import { apiKeyRevocation } from './003-api-key-revocation.ts';
import { runPieces } from './004-run-pieces.ts';
import { datasetKinds } from './005-dataset-kinds.ts';
import { sitingJobs } from './006-siting-jobs.ts';

/**
 * A step of the schema. Versions only grow; a shipped migration is never edited — a change is a new
 * migration — because databases that already applied it would never see the edit.
 */
export interface Migration {
  version: number;
  name: string;
  /** Plain PostgreSQL (PGlite and a server alike); several statements. */
  sql: string;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [initial, nightly, apiKeyRevocation, runPieces, datasetKinds, sitingJobs];
