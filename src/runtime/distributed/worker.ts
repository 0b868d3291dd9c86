import { hostname } from 'node:os';
import type { Community } from '../../core/communities/read-communities.ts';
import { computeCityCoverageSync } from '../../core/coverage/city-wide/city-coverage.ts';
import type { CommunityReport, CoverageOptions, CoverageReport } from '../../core/coverage/coverage.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import { graphFromBuffer } from '../../core/io/graph-format.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { Standard } from '../../core/standards/types.ts';
import { openPostgres } from '../store/postgres.ts';
import type { Sql } from '../store/sql.ts';
import type { CoverageTravel } from './partition.ts';
import { type ClaimedPartition, PartitionQueue, type QueueConnection } from './queue.ts';
import { type AttemptOutcome, ensureTables } from './tables.ts';

/**
 * A worker process: takes partition jobs from the queue, computes coverage for the partition's own
 * communities on its cut of the network, and stores the result — once per partition, however often
 * the job runs (a retry after a lost worker, or after an expiry while the first worker was still
 * computing): the result row's primary key is (run, partition) and the insert does nothing on
 * conflict, so the first stored result stands and the effect is exactly once.
 *
 * The computation is a parameter: the city-wide engine in this process's thread by default (every
 * caller computes coverage with the same engine), or any function of the same shape (tests pass the
 * per-home oracle).
 */
export type ComputeCoverage = (
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CoverageOptions,
) => CoverageReport | Promise<CoverageReport>;

export interface WorkerOptions extends QueueConnection {
  databaseUrl: string;
  /** Named in the attempts table and the log (default host:pid). */
  workerId?: string;
  compute?: ComputeCoverage;
  /** One line per partition taken and finished. */
  log?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { event: 'started'; runId: string; partition: number; worker: string }
  | { event: 'finished'; runId: string; partition: number; worker: string; outcome: AttemptOutcome; communities: number; ms: number }
  | { event: 'failed'; runId: string; partition: number; worker: string; error: string };

export interface RunningWorker {
  id: string;
  /** Stops taking jobs; the one in hand gets `timeoutMs` to finish, else it is handed back to the queue. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const id = opts.workerId ?? `${hostname()}:${process.pid}`;
  const sql = await openPostgres(opts.databaseUrl, { maxConnections: 2 });
  try {
    await ensureTables(sql);
  } catch (err) {
    await sql.close();
    throw err;
  }
  const queue = await PartitionQueue.open(opts.databaseUrl, opts);
  const compute =
    opts.compute ??
    ((g, c, f, s, o) => {
      // The report without the engine's `detail` key: partitions merge into the single-process report.
      const { detail: _detail, ...report } = computeCityCoverageSync(g, c, f, s, { ...o, threads: 1 });
      return report;
    });
  // One partition at a time: coverage is CPU-bound, so one process computes one partition; run more
  // processes for more cores. A partition that throws fails its job (pg-boss retries it).
  const pollMs = Math.max(0.5, opts.pollingIntervalSeconds ?? 2) * 1000;
  const onError = opts.onError ?? ((err: Error) => process.emitWarning(`partition worker: ${err.message}`));
  let stopping = false;
  let inHand: ClaimedPartition | null = null;
  let wake: () => void = () => {};
  const loop = (async () => {
    while (!stopping) {
      let job: ClaimedPartition | null = null;
      try {
        job = await queue.claim(id);
      } catch (err) {
        onError(err as Error); // the server is unreachable: look again at the next poll
      }
      if (!job) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        continue;
      }
      inHand = job;
      try {
        await assessPartition(sql, { runId: job.runId, partition: job.partition, jobId: job.jobId, worker: id, compute, log: opts.log });
        await queue.complete(job, id);
      } catch (err) {
        await queue.fail(job, id, { code: 'PARTITION_FAILED', message: (err as Error)?.message ?? String(err) }).catch(onError);
      } finally {
        inHand = null;
      }
    }
  })();
  return {
    id,
    async stop(timeoutMs = 30_000) {
      stopping = true;
      wake();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([loop, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      // Still computing after its time: handed back, retried at once elsewhere.
      const held = inHand as ClaimedPartition | null;
      if (held) await queue.giveBack(held, id).catch(onError);
      await queue.stop({ timeoutMs });
      await sql.close();
    },
  };
}

interface PartitionTask {
  runId: string;
  partition: number;
  jobId: string | null;
  worker: string;
  compute: ComputeCoverage;
  log?: (event: WorkerEvent) => void;
}

/** One partition, start to stored; recorded as an attempt. Throws (after recording it) when the computation fails. */
async function assessPartition(sql: Sql, task: PartitionTask): Promise<AttemptOutcome> {
  const { runId, partition, worker } = task;
  const already = await sql.query('SELECT 1 FROM distributed_results WHERE run_id = $1 AND partition = $2', [runId, partition]);
  if (already.length > 0) {
    await sql.query(
      `INSERT INTO distributed_attempts (run_id, partition, job_id, worker, finished_at, outcome) VALUES ($1, $2, $3, $4, now(), 'already-stored')`,
      [runId, partition, task.jobId, worker],
    );
    task.log?.({ event: 'finished', runId, partition, worker, outcome: 'already-stored', communities: 0, ms: 0 });
    return 'already-stored';
  }
  const [attempt] = await sql.query<{ id: string }>('INSERT INTO distributed_attempts (run_id, partition, job_id, worker) VALUES ($1, $2, $3, $4) RETURNING id', [
    runId,
    partition,
    task.jobId,
    worker,
  ]);
  task.log?.({ event: 'started', runId, partition, worker });
  try {
    const inputs = await loadPartition(sql, runId, partition);
    const started = performance.now();
    const report = await task.compute(inputs.graph, inputs.communities, inputs.facilities, inputs.standards, inputs.travel);
    const ms = Math.round(performance.now() - started);
    const own = ownCommunities(report.communities, inputs.communities);
    const outcome = await sql.transaction(async (tx) => {
      const stored = await tx.query(
        `INSERT INTO distributed_results (run_id, partition, worker, communities, compute_ms) VALUES ($1, $2, $3, $4::json, $5)
         ON CONFLICT (run_id, partition) DO NOTHING RETURNING 1`,
        [runId, partition, worker, JSON.stringify(own), ms],
      );
      const result: AttemptOutcome = stored.length > 0 ? 'stored' : 'duplicate';
      await tx.query('UPDATE distributed_attempts SET finished_at = now(), outcome = $2 WHERE id = $1', [attempt.id, result]);
      return result;
    });
    task.log?.({ event: 'finished', runId, partition, worker, outcome, communities: own.length, ms });
    return outcome;
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    await sql.query(`UPDATE distributed_attempts SET finished_at = now(), outcome = 'failed', error = $2 WHERE id = $1`, [attempt.id, message]);
    task.log?.({ event: 'failed', runId, partition, worker, error: message });
    throw err;
  }
}

interface PartitionInputs {
  graph: Graph;
  communities: Community[];
  facilities: Facility[];
  standards: Standard[];
  travel: CoverageOptions;
}

async function loadPartition(sql: Sql, runId: string, partition: number): Promise<PartitionInputs> {
  const rows = await sql.query<{ graph: Buffer; communities: Community[]; facilities: Facility[]; standards: Standard[]; travel: CoverageTravel }>(
    `SELECT p.graph, p.communities, p.facilities, r.standards, r.travel
       FROM distributed_partitions p JOIN distributed_runs r USING (run_id)
      WHERE p.run_id = $1 AND p.partition = $2`,
    [runId, partition],
  );
  if (rows.length === 0) throw new Error(`run ${JSON.stringify(runId)} has no partition ${partition} (deleted while queued?)`);
  const row = rows[0];
  return {
    graph: graphFromBuffer(row.graph, `run ${runId} partition ${partition}`),
    communities: row.communities,
    facilities: row.facilities,
    standards: row.standards,
    travel: row.travel,
  };
}

/** The reports of the partition's communities, in their order: a compute function may not add or lose any. */
function ownCommunities(reports: readonly CommunityReport[], communities: readonly Community[]): CommunityReport[] {
  const byId = new Map(reports.map((r) => [r.id, r]));
  return communities.map((c) => {
    const report = byId.get(c.id);
    if (!report) throw new Error(`the compute function returned no report for community ${JSON.stringify(c.id)}`);
    return report;
  });
}
