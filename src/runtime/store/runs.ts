import type { JobKind } from './jobs.ts';
import { isoTime, listLimit } from './rows.ts';
import type { PieceRef } from './run-pieces.ts';
import { type Queryable, jsonParam } from './sql.ts';

/** What a finished job leaves behind. Created only by `completeJob`, so a run is always complete. */
export interface RunInput {
  /** The report's `summary` (per standard, district, item), kept apart so lists stay small. */
  summary: unknown;
  /**
   * The coverage JSON report: whole, or — when `pieces` is given — without its `communities` (and
   * `summary`, kept in its own column), which are in the job's pieces (run-pieces.ts).
   */
  report: unknown;
  /** The job's attempt that stored the communities' pieces, and how many communities they hold. */
  pieces?: { attempt: number; communities: number };
  /** The parsed communities' geometry for the GeoJSON answer, or a reference to a communities dataset + version. */
  communities: unknown;
}

/** A run without its report and communities: what lists show. */
export interface RunSummary {
  id: string;
  owner: string;
  jobId: string;
  /** The job's kind, which says what the report is: a coverage report, or a siting answer. */
  kind: JobKind;
  createdAt: string;
  /** The job's parameters, copied when the run was stored. */
  params: Record<string, unknown>;
  summary: unknown;
}

export interface Run extends RunSummary {
  /** The whole report of a run stored before pieces; else the report without communities and summary. */
  report: unknown;
  communities: unknown;
  /** Where the communities' reports are, or null when they are in `report` (runs stored before pieces). */
  pieces: (PieceRef & { communities: number }) | null;
}

/** The owner's runs, newest first, without reports. */
export async function listRuns(db: Queryable, owner: string, options: { limit?: number } = {}): Promise<RunSummary[]> {
  const rows = await db.query<RunRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM runs WHERE owner = $1 ORDER BY created_at DESC, id LIMIT $2`,
    [owner, listLimit(options.limit)],
  );
  return rows.map(toSummary);
}

/** The whole run; null when it does not exist or belongs to another owner. */
export async function getRun(db: Queryable, owner: string, id: string): Promise<Run | null> {
  const [row] = await db.query<RunRow>(`SELECT ${COLUMNS} FROM runs WHERE id = $1 AND owner = $2`, [id, owner]);
  return row ? toRun(row) : null;
}

/**
 * Inserts the run of a job, taking owner and parameters from the job row so a worker cannot file a
 * run under someone else. Only `completeJob` calls this, inside the transaction that marks the job
 * succeeded.
 */
export async function insertRun(tx: Queryable, runId: string, jobId: string, run: RunInput): Promise<Run> {
  const [row] = await tx.query<RunRow>(
    `INSERT INTO runs (id, owner, job_id, kind, params, summary, report, communities, attempt, community_count)
     SELECT $1, owner, id, kind, params, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7 FROM jobs WHERE id = $2
     RETURNING ${COLUMNS}`,
    [runId, jobId, jsonParam(run.summary ?? {}), jsonParam(run.report ?? {}), jsonParam(run.communities ?? []), run.pieces?.attempt ?? null, run.pieces?.communities ?? null],
  );
  if (!row) throw new Error(`run of job ${jobId}: got no job row, expected the job completeJob just marked succeeded`);
  return toRun(row);
}

const SUMMARY_COLUMNS = 'id, owner, job_id, kind, created_at, params, summary';
const COLUMNS = `${SUMMARY_COLUMNS}, report, communities, attempt, community_count`;

interface RunRow {
  id: string;
  owner: string;
  job_id: string;
  kind: JobKind;
  created_at: Date | string;
  params: Record<string, unknown>;
  summary: unknown;
  report?: unknown;
  communities?: unknown;
  attempt?: number | null;
  community_count?: number | null;
}

function toSummary(row: RunRow): RunSummary {
  return { id: row.id, owner: row.owner, jobId: row.job_id, kind: row.kind, createdAt: isoTime(row.created_at), params: row.params, summary: row.summary };
}

function toRun(row: RunRow): Run {
  const pieces = row.attempt == null ? null : { jobId: row.job_id, attempt: row.attempt, communities: Number(row.community_count) };
  return { ...toSummary(row), report: row.report, communities: row.communities, pieces };
}
