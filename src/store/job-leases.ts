import { type Clock, leaseNow, systemClock } from '../clock.ts';
import { StoreError } from './errors.ts';
import { newId } from './ids.ts';
import { type Job, type JobError, type JobProgress, type JobRow, toJob } from './jobs.ts';
import { countRunPieces, discardRunPieces } from './run-pieces.ts';
import { type Run, type RunInput, insertRun } from './runs.ts';
import { type Queryable, type Sql, jsonParam } from './sql.ts';

/**
 * The worker's side of jobs. A worker claims a job with a lease — "mine until T" on the database's
 * clock, or on the `clock` a test passes (src/clock.ts) — and renews it by heartbeat while it
 * computes. If the worker dies the lease runs out and the next claim takes the job again (a re-run:
 * `progress.done` starts over); after `maxAttempts` claims the job fails as INTERRUPTED rather than
 * crash workers forever. Every call after the claim names the worker and does nothing unless that
 * worker still holds the job, so a worker that was presumed dead and comes back cannot overwrite its
 * successor's work.
 */

/**
 * Claims the oldest claimable job — queued, or running with an expired lease — for `workerId`, or
 * returns null. One atomic statement: `FOR UPDATE SKIP LOCKED` makes concurrent workers on PostgreSQL
 * pass over a row another is claiming instead of waiting for it and claiming it too (PGlite has one
 * connection, so there the statements simply run one after the other).
 */
export async function claimNextJob(db: Queryable, workerId: string, leaseMs: number, clock: Clock = systemClock): Promise<Job | null> {
  checkLease(leaseMs);
  const now = leaseNow(clock);
  const interrupted = await db.query<{ id: string }>(
    `UPDATE jobs
     SET state = 'failed', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
         error = jsonb_build_object('code', 'INTERRUPTED', 'message',
           'the worker stopped ' || attempts || ' times without finishing (lease expired); giving up')
     WHERE state = 'running' AND lease_expires_at < coalesce($1::timestamptz, now()) AND attempts >= max_attempts
     RETURNING id`,
    [now],
  );
  for (const { id } of interrupted) await discardRunPieces(db, id);
  const [row] = await db.query<JobRow>(
    `WITH next AS (
       SELECT id FROM jobs
       WHERE state = 'queued' OR (state = 'running' AND lease_expires_at < coalesce($3::timestamptz, now()) AND attempts < max_attempts)
       ORDER BY created_at, id
       LIMIT 1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs
     SET state = 'running', attempts = jobs.attempts + 1, lease_owner = $1,
         lease_expires_at = coalesce($3::timestamptz, now()) + $2::double precision * interval '1 millisecond',
         progress = jsonb_build_object('done', 0, 'total', jobs.progress -> 'total'),
         updated_at = now()
     FROM next WHERE jobs.id = next.id
     RETURNING jobs.*`,
    [workerId, leaseMs, now],
  );
  return row ? toJob(row) : null;
}

/**
 * Extends the lease to `leaseMs` from now. False means the worker no longer holds the job (cancelled,
 * or taken over after the lease expired): stop working on it.
 */
export async function heartbeat(db: Queryable, jobId: string, workerId: string, leaseMs: number, clock: Clock = systemClock): Promise<boolean> {
  checkLease(leaseMs);
  const rows = await db.query(
    `UPDATE jobs SET lease_expires_at = coalesce($4::timestamptz, now()) + $3::double precision * interval '1 millisecond', updated_at = now()
     WHERE ${HELD} RETURNING id`,
    [jobId, workerId, leaseMs, leaseNow(clock)],
  );
  return rows.length === 1;
}

/** Records how far the worker is; false as for `heartbeat`. */
export async function recordProgress(db: Queryable, jobId: string, workerId: string, progress: JobProgress): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs SET progress = $3::jsonb, updated_at = now() WHERE ${HELD} RETURNING id`,
    [jobId, workerId, jsonParam({ done: progress.done, total: progress.total, ...(progress.searches ? { searches: { done: progress.searches.done, total: progress.searches.total } } : {}) })],
  );
  return rows.length === 1;
}

/**
 * Marks the job succeeded and stores its run, in one transaction: if storing the run fails the job is
 * still running (and is re-run once its lease expires), so no run is ever partial and no succeeded job
 * lacks its run. Throws LEASE_LOST, storing nothing, when the worker no longer holds the job.
 *
 * A run in pieces (`run.pieces`) is made of the pieces the worker stored in its attempt, which must be
 * the job's current one and hold every community once; other attempts' pieces are deleted.
 */
export async function completeJob(sql: Sql, jobId: string, workerId: string, run: RunInput): Promise<Run> {
  return sql.transaction(async (tx) => {
    const runId = newId('run');
    const done = await tx.query(
      `UPDATE jobs SET state = 'succeeded', run_id = $3, lease_owner = NULL, lease_expires_at = NULL, error = NULL, updated_at = now()
       WHERE ${HELD} AND ($4::integer IS NULL OR attempts = $4) RETURNING id`,
      [jobId, workerId, runId, run.pieces?.attempt ?? null],
    );
    if (done.length === 0) throw await leaseLost(tx, jobId, workerId);
    if (run.pieces) {
      const stored = await countRunPieces(tx, { jobId, attempt: run.pieces.attempt });
      if (stored.communities !== run.pieces.communities || !stored.contiguous) {
        throw new Error(`run of job ${jobId}: its pieces hold ${stored.communities} communities${stored.contiguous ? '' : ' with gaps or overlaps'}, expected ${run.pieces.communities} in a row`);
      }
      await discardRunPieces(tx, jobId, run.pieces.attempt);
    }
    return insertRun(tx, runId, jobId, run);
  });
}

/** Fails the job for good with `error` (bad input, a bug: running it again would fail again). */
export async function failJob(db: Queryable, jobId: string, workerId: string, error: JobError): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs SET state = 'failed', error = $3::jsonb, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE ${HELD} RETURNING id`,
    [jobId, workerId, jsonParam({ code: error.code, message: error.message })],
  );
  if (rows.length === 1) await discardRunPieces(db, jobId);
  return rows.length === 1;
}

/**
 * Puts the job back in the queue at once, for a worker shutting down gracefully: the next worker need
 * not wait for the lease to expire, and the attempt does not count against `maxAttempts`.
 */
export async function releaseJob(db: Queryable, jobId: string, workerId: string): Promise<boolean> {
  const rows = await db.query(
    `UPDATE jobs SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE ${HELD} RETURNING id`,
    [jobId, workerId],
  );
  return rows.length === 1;
}

/** `$1` is the job, `$2` the worker: the job is running and this worker holds it. */
const HELD = `id = $1 AND state = 'running' AND lease_owner = $2`;

function checkLease(leaseMs: number): void {
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new Error(`leaseMs: got ${leaseMs}, expected a positive number of milliseconds`);
}

/** Why a worker's call was refused, for the error (read inside the refused call's transaction). */
async function leaseLost(tx: Queryable, jobId: string, workerId: string): Promise<StoreError> {
  const [job] = await tx.query<{ state: string; lease_owner: string | null }>('SELECT state, lease_owner FROM jobs WHERE id = $1', [jobId]);
  const found = !job ? 'no such job' : job.lease_owner ? `${job.state}, held by ${job.lease_owner}` : job.state;
  return new StoreError('LEASE_LOST', `job ${jobId}: got ${found}, expected running and held by ${workerId}; the result is discarded`);
}
