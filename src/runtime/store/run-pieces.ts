import type { Queryable } from './sql.ts';

/**
 * A run's communities in pieces (migration 4): each piece a range of communities, its reports and
 * geometries already encoded by the job (gzip'd JSON; the store only keeps the bytes). A job writes
 * its pieces while it holds its lease, tagged with its attempt; `completeJob` then makes the run of
 * exactly that attempt's pieces, so a half-written attempt is never read.
 */
export interface RunPiece {
  /** The first community of the piece, in the job's order, and how many it holds. */
  first: number;
  count: number;
  reports: Uint8Array;
  geometries: Uint8Array;
}

/** Where a run's pieces are: its job and the attempt that wrote them. */
export interface PieceRef {
  jobId: string;
  attempt: number;
}

/**
 * Stores a piece of the job's current attempt, only while `workerId` holds the job in that attempt.
 * False means the lease is lost (cancelled, or taken over): stop. `FOR SHARE` makes a concurrent claim
 * or cancel either wait for this statement or be seen by it, never slip in between its check and its
 * write. Storing the same piece again (a retry after an outage) replaces it.
 */
export async function storeRunPiece(db: Queryable, jobId: string, workerId: string, attempt: number, piece: RunPiece): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO run_pieces (job_id, attempt, first, count, reports, geometries)
     SELECT id, $3, $4, $5, $6, $7 FROM jobs
     WHERE id = $1 AND state = 'running' AND lease_owner = $2 AND attempts = $3
     FOR SHARE
     ON CONFLICT (job_id, attempt, first) DO UPDATE SET count = excluded.count, reports = excluded.reports, geometries = excluded.geometries
     RETURNING first`,
    [jobId, workerId, attempt, piece.first, piece.count, piece.reports, piece.geometries],
  );
  return rows.length === 1;
}

/**
 * The piece holding community `index` (the last piece starting at or before it), or null past the
 * end. Readers walk a run with it, one piece in memory at a time.
 */
export async function readRunPiece(db: Queryable, ref: PieceRef, index: number): Promise<RunPiece | null> {
  const [row] = await db.query<{ first: number; count: number; reports: Uint8Array; geometries: Uint8Array }>(
    `SELECT first, count, reports, geometries FROM run_pieces
     WHERE job_id = $1 AND attempt = $2 AND first <= $3
     ORDER BY first DESC LIMIT 1`,
    [ref.jobId, ref.attempt, index],
  );
  if (!row || index >= row.first + row.count) return null;
  return { first: row.first, count: row.count, reports: row.reports, geometries: row.geometries };
}

/** Communities in the attempt's pieces, and whether the pieces tile [0, total) without gap or overlap. */
export async function countRunPieces(db: Queryable, ref: PieceRef): Promise<{ communities: number; contiguous: boolean }> {
  const [row] = await db.query<{ communities: number | string; gaps: number | string }>(
    `SELECT coalesce(sum(count), 0) AS communities,
            count(*) FILTER (WHERE first <> coalesce(previous_end, 0)) AS gaps
     FROM (SELECT first, count, lag(first + count) OVER (ORDER BY first) AS previous_end
           FROM run_pieces WHERE job_id = $1 AND attempt = $2) AS pieces`,
    [ref.jobId, ref.attempt],
  );
  return { communities: Number(row.communities), contiguous: Number(row.gaps) === 0 };
}

/**
 * Deletes the job's pieces that no run reads: every attempt but `keep` (the attempt starting now, or
 * the one a run was just made of), or all of them. Called when an attempt starts (a crashed one's
 * leftovers), when the job completes, fails or is cancelled.
 */
export async function discardRunPieces(db: Queryable, jobId: string, keep?: number): Promise<void> {
  await db.query('DELETE FROM run_pieces WHERE job_id = $1 AND ($2::integer IS NULL OR attempt <> $2)', [jobId, keep ?? null]);
}
