import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Clock, leaseNow, systemClock } from '../clock.ts';
import { type LeaseTable, claimById, complete, json, lapsed, leaseUntil, renew, settle, sqlExpr } from '../store/leases.ts';
import { isoTime, isoTimeOrNull } from '../store/rows.ts';
import { type Queryable, type Sql, jsonParam } from '../store/sql.ts';

/**
 * The nightly runs and their steps in the store (tables of migration 002). A run is leased work
 * (src/runtime/store/leases.ts), held by one process at a time (`host:pid` until a time, renewed while it
 * works): a second invocation while the first still works is refused; one after a crash takes the run
 * over — at once when the holder was on this machine and its pid is gone, else when the lease expires
 * (on the database's clock, or on the `clock` a test passes: src/runtime/clock.ts). A failed run is resumed.
 */
export type NightlyState = 'running' | 'succeeded' | 'failed' | 'superseded';
export type StepState = 'running' | 'succeeded' | 'failed';

export interface NightlyRun {
  id: string;
  name: string;
  date: string;
  state: NightlyState;
  attempts: number;
  jobs: string[];
  summary: unknown;
  error: unknown;
  createdAt: string;
  finishedAt: string | null;
}

export interface NightlyStep {
  job: string;
  state: StepState;
  attempts: number;
  inputs: unknown;
  summary: unknown;
  statuses: unknown;
  changes: unknown;
  files: unknown;
  finishedAt: string | null;
}

/** What `beginRun` found: a run already complete (left alone), or the run this process now holds. */
export type BeganRun =
  | { kind: 'existing'; run: NightlyRun }
  | { kind: 'new' | 'resumed'; run: NightlyRun; steps: Map<string, NightlyStep>; superseded?: string };

/** Another process holds the run: it is not ours to compute. */
export class NightlyBusyError extends Error {
  override readonly name = 'NightlyBusyError';
}

/** This process's name in leases. */
export const LEASE_OWNER = `${hostname()}:${process.pid}`;

/** Runs are claimed by (name, date), never from a queue; a failed one is taken up again. */
export const NIGHTLY_LEASES: LeaseTable = { table: 'nightly_runs', noun: 'nightly run', held: 'running', resumable: ['failed'], failed: 'failed' };

export async function beginRun(
  sql: Sql,
  opts: { name: string; date: string; jobs: string[]; force: boolean; leaseMs: number; clock?: Clock },
): Promise<BeganRun> {
  const now = leaseNow(opts.clock ?? systemClock);
  try {
    return await sql.transaction(async (tx) => {
      const [row] = await tx.query<RunRow>(
        `SELECT ${RUN_COLUMNS}, lease_owner, ${lapsed('$3')} AS expired, lease_expires_at
         FROM nightly_runs WHERE name = $1 AND run_date = $2::date AND state <> 'superseded' FOR UPDATE`,
        [opts.name, opts.date, now],
      );
      if (row?.state === 'running' && !holderGone(row)) {
        throw new NightlyBusyError(
          `nightly ${opts.name} ${opts.date} (${row.id}) is being computed by ${row.lease_owner} (lease until ${isoTime(row.lease_expires_at)}); ` +
            'expected no other nightly at work on it: wait for it, or for its lease to expire if that process is gone',
        );
      }
      if (row && row.state === 'succeeded' && !opts.force) return { kind: 'existing', run: toRun(row) };
      if (row && !opts.force) {
        // A crashed or failed run: resumed, its finished steps kept.
        // Under FOR UPDATE, and its holder found gone above: taken over even if its lease has time left.
        const resumed = await claimById<RunRow>(tx, NIGHTLY_LEASES, row.id, LEASE_OWNER, opts.leaseMs, opts.clock, {
          set: { error: null, jobs: json(opts.jobs) },
          takeOver: true,
          returning: RUN_COLUMNS,
        });
        if (!resumed) throw new Error(`nightly run ${row.id}: got ${row.state}, expected a run this process can take up`);
        return { kind: 'resumed', run: toRun(resumed), steps: await stepsOf(tx, row.id) };
      }
      if (row) {
        await tx.query(`UPDATE nightly_runs SET state = 'superseded', lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1`, [row.id]);
      }
      const [created] = await tx.query<RunRow>(
        `INSERT INTO nightly_runs (id, name, run_date, state, lease_owner, lease_expires_at, jobs)
         VALUES ($1, $2, $3::date, 'running', $4, ${leaseUntil('$7', '$5')}, $6::jsonb)
         RETURNING ${RUN_COLUMNS}`,
        [`nightly_${randomBytes(9).toString('base64url')}`, opts.name, opts.date, LEASE_OWNER, opts.leaseMs, jsonParam(opts.jobs), now],
      );
      return { kind: 'new', run: toRun(created), steps: new Map(), ...(row ? { superseded: row.id } : {}) };
    });
  } catch (err) {
    // Two processes creating the same date's run at once on PostgreSQL: one insert loses on the unique index.
    if ((err as { code?: string }).code === '23505') {
      throw new NightlyBusyError(`nightly ${opts.name} ${opts.date}: another process started it at the same moment; expected to be alone`);
    }
    throw err;
  }
}

/** Renews the lease; false when this process no longer holds the run. */
export async function renewLease(db: Queryable, runId: string, leaseMs: number, clock: Clock = systemClock): Promise<boolean> {
  return renew(db, NIGHTLY_LEASES, runId, LEASE_OWNER, leaseMs, clock);
}

/** Marks a step started (again): its earlier result, if any, no longer counts. */
export async function startStep(db: Queryable, runId: string, job: string, inputs: unknown): Promise<void> {
  await db.query(
    `INSERT INTO nightly_steps (run_id, job, state, inputs) VALUES ($1, $2, 'running', $3::jsonb)
     ON CONFLICT (run_id, job) DO UPDATE SET state = 'running', attempts = nightly_steps.attempts + 1, inputs = EXCLUDED.inputs,
       summary = NULL, statuses = NULL, changes = NULL, files = NULL, error = NULL, started_at = now(), finished_at = NULL`,
    [runId, job, jsonParam(inputs)],
  );
}

export async function completeStep(
  db: Queryable,
  runId: string,
  job: string,
  result: { summary: unknown; statuses: unknown; changes: unknown; files: unknown },
): Promise<void> {
  await db.query(
    `UPDATE nightly_steps SET state = 'succeeded', summary = $3::jsonb, statuses = $4::jsonb, changes = $5::jsonb, files = $6::jsonb, finished_at = now()
     WHERE run_id = $1 AND job = $2`,
    [runId, job, jsonParam(result.summary), jsonParam(result.statuses), jsonParam(result.changes), jsonParam(result.files)],
  );
}

export async function failStep(db: Queryable, runId: string, job: string, error: { message: string }): Promise<void> {
  await db.query(`UPDATE nightly_steps SET state = 'failed', error = $3::jsonb WHERE run_id = $1 AND job = $2`, [runId, job, jsonParam(error)]);
}

/** The run is complete: only now does it read as such. */
export async function completeRun(sql: Sql, runId: string, summary: unknown): Promise<void> {
  try {
    await complete(sql, NIGHTLY_LEASES, runId, LEASE_OWNER, { state: 'succeeded', set: { summary: json(summary), finished_at: sqlExpr('now()') } }, async () => undefined);
  } catch (err) {
    if ((err as { code?: string }).code !== 'LEASE_LOST') throw err;
    throw new Error(`nightly run ${runId}: lost the lease before completing it, expected to hold it`, { cause: err });
  }
}

export async function failRun(db: Queryable, runId: string, error: unknown): Promise<void> {
  await settle(db, NIGHTLY_LEASES, runId, LEASE_OWNER, 'failed', { error: json(error) });
}

/**
 * The job's latest finished step in an earlier complete run of the same nightly: what tonight is
 * compared with. A job new in the config has none.
 */
export async function previousStep(db: Queryable, name: string, date: string, job: string): Promise<{ runId: string; date: string; summary: unknown; statuses: unknown } | null> {
  const [row] = await db.query<{ run_id: string; run_date: string; summary: unknown; statuses: unknown }>(
    `SELECT s.run_id, to_char(r.run_date, 'YYYY-MM-DD') AS run_date, s.summary, s.statuses
     FROM nightly_steps s JOIN nightly_runs r ON r.id = s.run_id
     WHERE r.name = $1 AND r.run_date < $2::date AND r.state = 'succeeded' AND s.job = $3 AND s.state = 'succeeded'
     ORDER BY r.run_date DESC LIMIT 1`,
    [name, date, job],
  );
  return row ? { runId: row.run_id, date: row.run_date, summary: row.summary, statuses: row.statuses } : null;
}

/** The runs of a nightly, newest date first (superseded ones too), without their steps. */
export async function listNightlyRuns(db: Queryable, name: string): Promise<NightlyRun[]> {
  const rows = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM nightly_runs WHERE name = $1 ORDER BY run_date DESC, created_at DESC`, [name]);
  return rows.map(toRun);
}

export async function stepsOf(db: Queryable, runId: string): Promise<Map<string, NightlyStep>> {
  const rows = await db.query<StepRow>(
    'SELECT job, state, attempts, inputs, summary, statuses, changes, files, finished_at FROM nightly_steps WHERE run_id = $1',
    [runId],
  );
  return new Map(rows.map((r) => [r.job, toStep(r)]));
}

const RUN_COLUMNS = `id, name, to_char(run_date, 'YYYY-MM-DD') AS run_date, state, attempts, jobs, summary, error, created_at, finished_at`;

interface RunRow {
  id: string;
  name: string;
  run_date: string;
  state: NightlyState;
  attempts: number;
  jobs: string[];
  summary: unknown;
  error: unknown;
  created_at: Date | string;
  finished_at: Date | string | null;
  lease_owner?: string | null;
  lease_expires_at?: Date | string | null;
  expired?: boolean | null;
}

interface StepRow {
  job: string;
  state: StepState;
  attempts: number;
  inputs: unknown;
  summary: unknown;
  statuses: unknown;
  changes: unknown;
  files: unknown;
  finished_at: Date | string | null;
}

function toRun(row: RunRow): NightlyRun {
  return {
    id: row.id,
    name: row.name,
    date: row.run_date,
    state: row.state,
    attempts: Number(row.attempts),
    jobs: row.jobs,
    summary: row.summary,
    error: row.error,
    createdAt: isoTime(row.created_at),
    finishedAt: isoTimeOrNull(row.finished_at),
  };
}

function toStep(row: StepRow): NightlyStep {
  return {
    job: row.job,
    state: row.state,
    attempts: Number(row.attempts),
    inputs: row.inputs,
    summary: row.summary,
    statuses: row.statuses,
    changes: row.changes,
    files: row.files,
    finishedAt: isoTimeOrNull(row.finished_at),
  };
}

/** The lease holder is gone: its lease expired, or it ran on this machine and its process no longer exists. */
function holderGone(row: RunRow): boolean {
  if (row.expired) return true;
  const owner = row.lease_owner ?? '';
  const colon = owner.lastIndexOf(':');
  const host = owner.slice(0, colon);
  const pid = Number(owner.slice(colon + 1));
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Our own pid before we claimed anything: a crashed predecessor that had the same pid (containers reuse 1).
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
