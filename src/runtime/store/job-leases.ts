import { type Clock, systemClock } from '../clock.ts';
import { newId } from './ids.ts';
import { type Job, type JobError, type JobProgress, type JobRow, toJob } from './jobs.ts';
import { type LeaseTable, type LeasedQueue, claimNext, complete, giveBack, json, renew, settle, sqlExpr, updateHeld } from './leases.ts';
import { countRunPieces, discardRunPieces } from './run-pieces.ts';
import { type Run, type RunInput, insertRun } from './runs.ts';
import type { Queryable, Sql } from './sql.ts';

/**
 * The worker's side of jobs, on the store's leased work (leases.ts): a worker claims a job with a
 * lease and renews it by heartbeat while it computes. If the worker dies the lease runs out and the
 * next claim takes the job again (a re-run: `progress.done` starts over); after `maxAttempts` claims
 * the job fails as INTERRUPTED rather than crash workers forever. Every call after the claim names the
 * worker and does nothing unless that worker still holds the job.
 */
export const JOB_LEASES: LeaseTable = { table: 'jobs', noun: 'job', held: 'running', waiting: 'queued', failed: 'failed', maxAttempts: 'max_attempts' };

/** The job queue as leased work: what the runner claims from. */
export function jobQueue(sql: Sql, clock: Clock = systemClock): LeasedQueue<Job, RunInput, Run> {
  return {
    claim: (worker, leaseMs) => claimNextJob(sql, worker, leaseMs, clock),
    renew: (job, worker, leaseMs) => heartbeat(sql, job.id, worker, leaseMs, clock),
    complete: (job, worker, run) => completeJob(sql, job.id, worker, run),
    fail: (job, worker, error) => failJob(sql, job.id, worker, error),
    giveBack: (job, worker) => releaseJob(sql, job.id, worker),
  };
}

/**
 * Claims the oldest claimable job — queued, or running with an expired lease — for `workerId`, or
 * returns null. A job whose attempts are used up is failed instead, and its pieces discarded.
 */
export async function claimNextJob(db: Queryable, workerId: string, leaseMs: number, clock: Clock = systemClock): Promise<Job | null> {
  const { claimed, exhausted } = await claimNext<JobRow>(db, JOB_LEASES, workerId, leaseMs, clock, {
    set: { progress: sqlExpr(`jsonb_build_object('done', 0, 'total', jobs.progress -> 'total')`) },
  });
  for (const id of exhausted) await discardRunPieces(db, id);
  return claimed ? toJob(claimed) : null;
}

/**
 * Extends the lease to `leaseMs` from now. False means the worker no longer holds the job (cancelled,
 * or taken over after the lease expired): stop working on it.
 */
export async function heartbeat(db: Queryable, jobId: string, workerId: string, leaseMs: number, clock: Clock = systemClock): Promise<boolean> {
  return renew(db, JOB_LEASES, jobId, workerId, leaseMs, clock);
}

/** Records how far the worker is; false as for `heartbeat`. */
export async function recordProgress(db: Queryable, jobId: string, workerId: string, progress: JobProgress): Promise<boolean> {
  const { done, total, searches } = progress;
  return updateHeld(db, JOB_LEASES, jobId, workerId, { progress: json({ done, total, ...(searches ? { searches: { done: searches.done, total: searches.total } } : {}) }) });
}

/**
 * Marks the job succeeded and stores its run, in one transaction: no run is ever partial and no
 * succeeded job lacks its run. Throws LEASE_LOST, storing nothing, when the worker no longer holds the job.
 *
 * A run in pieces (`run.pieces`) is made of the pieces the worker stored in its attempt, which must be
 * the job's current one and hold every community once; other attempts' pieces are deleted.
 */
export async function completeJob(sql: Sql, jobId: string, workerId: string, run: RunInput): Promise<Run> {
  const runId = newId('run');
  const ending = { state: 'succeeded', set: { run_id: runId, error: null }, attempt: run.pieces?.attempt };
  return complete(sql, JOB_LEASES, jobId, workerId, ending, async (tx) => {
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
  const failed = await settle(db, JOB_LEASES, jobId, workerId, 'failed', { error: json({ code: error.code, message: error.message }) });
  if (failed) await discardRunPieces(db, jobId);
  return failed;
}

/**
 * Puts the job back in the queue at once, for a worker shutting down gracefully: the next worker need
 * not wait for the lease to expire, and the attempt does not count against `maxAttempts`.
 */
async function releaseJob(db: Queryable, jobId: string, workerId: string): Promise<boolean> {
  return giveBack(db, JOB_LEASES, jobId, workerId);
}
