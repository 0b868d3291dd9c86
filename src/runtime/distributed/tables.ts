import type { Queryable, Sql } from '../store/sql.ts';

/**
 * The tables a distributed run lives in, on the PostgreSQL server that also holds the pg-boss queue:
 * every machine that can reach the queue can read its partition's inputs and store its result there,
 * with no shared file system.
 *
 * Created here (idempotently, like pg-boss creates its own schema) rather than by the store's
 * migrations: the store's schema also runs on embedded PGlite, which one machine's processes cannot
 * share, while these tables only ever live on a server. Columns holding reports are `json`, not
 * `jsonb`, so a report comes back with its keys in the order they were written.
 *
 *  - distributed_runs: one per run id — the standards and travel, the number of partitions, and the
 *    report's `facilities` section (placed once on the whole graph by the coordinator);
 *  - distributed_partitions: one per partition — its communities (with their positions in the input),
 *    its buffered facilities and its cut of the graph (the binary graph file format);
 *  - distributed_results: at most one per partition (primary key): the first stored result wins,
 *    a retried job that computes again stores nothing;
 *  - distributed_attempts: every time a worker took a partition, when it finished and how
 *    (`stored`, `duplicate`, `already-stored`, `failed`); an attempt never finished is a worker that died.
 */
const TABLES = `
  CREATE TABLE IF NOT EXISTS distributed_runs (
    run_id       text PRIMARY KEY,
    partitions   integer NOT NULL,
    communities  integer NOT NULL,
    standards    json NOT NULL,
    travel       json NOT NULL,
    facilities   json NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS distributed_partitions (
    run_id       text NOT NULL REFERENCES distributed_runs ON DELETE CASCADE,
    partition    integer NOT NULL,
    key          text NOT NULL,
    positions    json NOT NULL,
    communities  json NOT NULL,
    facilities   json NOT NULL,
    graph        bytea NOT NULL,
    buffer       json NOT NULL,
    PRIMARY KEY (run_id, partition)
  );
  CREATE TABLE IF NOT EXISTS distributed_results (
    run_id       text NOT NULL,
    partition    integer NOT NULL,
    worker       text NOT NULL,
    communities  json NOT NULL,
    compute_ms   integer NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, partition),
    FOREIGN KEY (run_id, partition) REFERENCES distributed_partitions ON DELETE CASCADE
  );
  CREATE TABLE IF NOT EXISTS distributed_attempts (
    id           bigserial PRIMARY KEY,
    run_id       text NOT NULL,
    partition    integer NOT NULL,
    job_id       text,
    worker       text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    outcome      text,
    error        text,
    FOREIGN KEY (run_id, partition) REFERENCES distributed_partitions ON DELETE CASCADE
  );
  CREATE INDEX IF NOT EXISTS distributed_attempts_partition ON distributed_attempts (run_id, partition);
`;

/** Advisory lock key serialising table creation ("lcdist"): two first processes at once would race. */
const TABLES_LOCK_KEY = 0x6c6364697374;

export async function ensureTables(sql: Sql): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [TABLES_LOCK_KEY]);
    await tx.exec(TABLES);
  });
}

export type AttemptOutcome = 'stored' | 'duplicate' | 'already-stored' | 'failed';

export interface AttemptRow {
  partition: number;
  worker: string;
  jobId: string | null;
  outcome: AttemptOutcome | null;
  error: string | null;
}

/** Every attempt of a run, oldest first: what a test or an operator reads to see who did what. */
export async function listAttempts(db: Queryable, runId: string): Promise<AttemptRow[]> {
  const rows = await db.query<{ partition: number; worker: string; job_id: string | null; outcome: AttemptOutcome | null; error: string | null }>(
    'SELECT partition, worker, job_id, outcome, error FROM distributed_attempts WHERE run_id = $1 ORDER BY id',
    [runId],
  );
  return rows.map((r) => ({ partition: r.partition, worker: r.worker, jobId: r.job_id, outcome: r.outcome, error: r.error }));
}

/** Partitions of a run that have a stored result. */
export async function storedPartitions(db: Queryable, runId: string): Promise<Set<number>> {
  const rows = await db.query<{ partition: number }>('SELECT partition FROM distributed_results WHERE run_id = $1', [runId]);
  return new Set(rows.map((r) => r.partition));
}

/** Removes a run's rows (partitions with their graphs, results, attempts): once its report is kept elsewhere. */
export async function deleteRun(db: Queryable, runId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM distributed_runs WHERE run_id = $1 RETURNING 1', [runId]);
  return rows.length > 0;
}
