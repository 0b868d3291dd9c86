import { newId } from './ids.ts';
import { isoTime, isoTimeOrNull, listLimit } from './rows.ts';
import { discardRunPieces } from './run-pieces.ts';
import { type Queryable, jsonParam } from './sql.ts';

/**
 * The owner's side of jobs: enqueue, look, cancel. The worker's side — claiming and leases — is in
 * `job-leases.ts`.
 *
 *   queued ──claim──▶ running ──completeJob──▶ succeeded (with its run)
 *     ▲                 │ ├──failJob─────────▶ failed
 *     └──lease expired──┘ └──lease expired, attempts used up──▶ failed (INTERRUPTED)
 *   queued / running ──cancelJob──▶ cancelled
 */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
/** `coverage`: a report per community, stored in pieces; `siting`: where to build next, stored whole. */
export type JobKind = 'coverage' | 'siting';
export const JOB_KINDS: readonly JobKind[] = ['coverage', 'siting'];

export interface JobProgress {
  /** Communities whose reports are stored, of all. */
  done: number;
  total: number;
  /** The city-wide searches done, of all: a large city searches for minutes before any report is stored. */
  searches?: { done: number; total: number };
}

export interface JobError {
  code: string;
  message: string;
}

export interface Job {
  id: string;
  owner: string;
  kind: JobKind;
  params: Record<string, unknown>;
  state: JobState;
  progress: JobProgress;
  /** How many times a worker has claimed it. */
  attempts: number;
  maxAttempts: number;
  /** The worker holding a running job, and until when (the database's clock, or a test's: src/runtime/clock.ts). */
  leaseOwner: string | null;
  leaseExpiresAt: string | null;
  error: JobError | null;
  /** Set exactly when the job succeeded. */
  runId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Claims a worker may make before a job whose workers keep dying is failed (default). */
const DEFAULT_MAX_ATTEMPTS = 3;

export async function enqueueJob(
  db: Queryable,
  owner: string,
  job: { kind: JobKind; params: Record<string, unknown>; maxAttempts?: number },
): Promise<Job> {
  const [row] = await db.query<JobRow>(
    `INSERT INTO jobs (id, owner, kind, params, max_attempts) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING *`,
    [newId('job'), owner, job.kind, jsonParam(job.params), job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS],
  );
  return toJob(row);
}

/** The job; null when it does not exist or belongs to another owner. */
export async function getJob(db: Queryable, owner: string, id: string): Promise<Job | null> {
  const [row] = await db.query<JobRow>('SELECT * FROM jobs WHERE id = $1 AND owner = $2', [id, owner]);
  return row ? toJob(row) : null;
}

/** The owner's jobs, newest first. */
export async function listJobs(db: Queryable, owner: string, options: { state?: JobState; limit?: number } = {}): Promise<Job[]> {
  const rows = await db.query<JobRow>(
    `SELECT * FROM jobs WHERE owner = $1 AND ($2::text IS NULL OR state = $2) ORDER BY created_at DESC, id LIMIT $3`,
    [owner, options.state ?? null, listLimit(options.limit)],
  );
  return rows.map(toJob);
}

/**
 * Cancels a queued or running job (a running one's worker learns it at its next heartbeat and stops;
 * its result would be refused). A finished job is returned unchanged; null when not found.
 */
export async function cancelJob(db: Queryable, owner: string, id: string): Promise<Job | null> {
  const [row] = await db.query<JobRow>(
    `UPDATE jobs SET state = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE id = $1 AND owner = $2 AND state IN ('queued', 'running')
     RETURNING *`,
    [id, owner],
  );
  // A running job's pieces: its worker can store no more (it no longer holds the job).
  if (row) await discardRunPieces(db, id);
  return row ? toJob(row) : getJob(db, owner, id);
}

export interface JobRow {
  id: string;
  owner: string;
  kind: JobKind;
  params: Record<string, unknown>;
  state: JobState;
  progress: JobProgress;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: Date | string | null;
  error: JobError | null;
  run_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    owner: row.owner,
    kind: row.kind,
    params: row.params,
    state: row.state,
    progress: row.progress,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: isoTimeOrNull(row.lease_expires_at),
    error: row.error,
    runId: row.run_id,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}
