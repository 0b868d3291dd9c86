import type { Community } from '../../core/communities/read-communities.ts';
import { type CoverageReport, CoverageSession } from '../../core/coverage/coverage.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import { graphFileBytes } from '../../core/io/graph-format.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { Standard } from '../../core/standards/types.ts';
import { openPostgres } from '../store/postgres.ts';
import type { Sql } from '../store/sql.ts';
import { mergeRun } from './merge.ts';
import { type CoverageTravel, type PartitionOptions, planPartitions } from './partition.ts';
import { type JobSettings, PartitionQueue, type QueueConnection } from './queue.ts';
import { ensureTables, storedPartitions } from './tables.ts';
import { cutGraph } from './sub-graph.ts';

/**
 * The coordinator of a distributed coverage run: split, enqueue, wait, merge.
 *
 *  1. `prepareRun` plans the partitions (src/runtime/distributed/partition.ts), cuts each one's buffered
 *     network out of the whole graph and writes its inputs as rows on the PostgreSQL server, all in
 *     one transaction. Once per run id: a coordinator started again for the same run (after a crash)
 *     finds the rows and goes on.
 *  2. one pg-boss job per partition, with an id derived from run and partition (sent once however
 *     often the coordinator runs);
 *  3. waits until every partition has a stored result — workers on any machine compute them — and
 *     fails the run if a partition's job fails for good (its error is in the message);
 *  4. `mergeRun` assembles the report.
 *
 * The whole graph is compiled (or loaded from a graph file) here, once: partitions are cut from the
 * compiled graph so that each is exactly the whole graph's roads around it (src/runtime/distributed/sub-graph.ts).
 */
export interface DistributedInput {
  /** The whole network: `readNetwork` on a graph file (.lcg) or on network lines (GeoJSON, OSM). */
  graph: Graph;
  communities: readonly Community[];
  facilities: readonly Facility[];
  standards: readonly Standard[];
  travel: CoverageTravel;
}

export interface DistributedOptions {
  /** The PostgreSQL server holding the queue and the run's rows (`DATABASE_URL`). */
  databaseUrl: string;
  /** Names the run: the same id resumes it rather than starting another (e.g. `nightly-2026-03-01`). */
  runId: string;
  partitions?: PartitionOptions;
  jobs?: JobSettings;
  queue?: QueueConnection;
  /** How often to look at the results (default 1000 ms). */
  pollMs?: number;
  /** Fail when the run has not finished after this long (default: wait as long as it takes). */
  timeoutMs?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/** Runs coverage across worker processes and returns the merged report. Workers are started apart (`lifecircle worker`). */
export async function runDistributed(input: DistributedInput, opts: DistributedOptions): Promise<CoverageReport> {
  const sql = await openPostgres(opts.databaseUrl, { maxConnections: 2 });
  let queue: PartitionQueue | undefined;
  try {
    await ensureTables(sql);
    const { partitions } = await prepareRun(sql, input, opts.runId, opts.partitions);
    queue = await PartitionQueue.open(opts.databaseUrl, opts.queue);
    await enqueueRun(sql, queue, opts.runId, partitions, opts.jobs);
    await waitForRun(sql, queue, opts.runId, partitions, opts);
    return await mergeRun(sql, opts.runId);
  } finally {
    await queue?.stop({ graceful: false });
    await sql.close();
  }
}

/** Writes the run's partitions, unless the run id is already prepared. Returns the partition count. */
async function prepareRun(sql: Sql, input: DistributedInput, runId: string, partitionOpts: PartitionOptions = {}): Promise<{ partitions: number; created: boolean }> {
  const existing = await sql.query<{ partitions: number; communities: number }>('SELECT partitions, communities FROM distributed_runs WHERE run_id = $1', [runId]);
  if (existing.length > 0) {
    if (existing[0].communities !== input.communities.length) {
      throw new Error(`run ${JSON.stringify(runId)} was prepared with ${existing[0].communities} communities, got ${input.communities.length}: a run id names one input, use a new id`);
    }
    return { partitions: existing[0].partitions, created: false };
  }
  const { graph, communities, facilities, standards, travel } = input;
  const plans = planPartitions(graph, communities, facilities, standards, travel, partitionOpts);
  // The report's facilities section (which facilities no road reaches) depends on the whole graph,
  // not on any partition: computed here, where the whole graph is.
  const session = new CoverageSession(graph, facilities, standards, travel);
  const facilitiesSection = session.report([]).facilities;
  // `no_facility` is decided on the whole city: a partition's cut may hold none of a category the city has.
  const partitionTravel = { ...travel, presentCategories: session.presentCategories() };
  const created = await sql.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO distributed_runs (run_id, partitions, communities, standards, travel, facilities)
       VALUES ($1, $2, $3, $4::json, $5::json, $6::json) ON CONFLICT (run_id) DO NOTHING RETURNING 1`,
      [runId, plans.length, communities.length, JSON.stringify(standards), JSON.stringify(partitionTravel), JSON.stringify(facilitiesSection)],
    );
    if (inserted.length === 0) return false; // another coordinator prepared it meanwhile
    for (const [i, plan] of plans.entries()) {
      // One partition's graph in memory at a time: the province's pieces add up to more than it.
      const piece = cutGraph(graph, plan.networkBoxes, `${graph.meta.source} ${plan.key}`);
      await tx.query(
        `INSERT INTO distributed_partitions (run_id, partition, key, positions, communities, facilities, graph, buffer)
         VALUES ($1, $2, $3, $4::json, $5::json, $6::json, $7, $8::json)`,
        [
          runId,
          i,
          plan.key,
          JSON.stringify(plan.communities),
          JSON.stringify(plan.communities.map((c) => communities[c])),
          JSON.stringify(plan.facilities.map((f) => facilities[f])),
          graphFileBytes(piece),
          JSON.stringify({ ...plan.bufferM, networkBoxes: plan.networkBoxes, edges: piece.edgeCount }),
        ],
      );
    }
    return true;
  });
  if (!created) return prepareRun(sql, input, runId, partitionOpts);
  return { partitions: plans.length, created };
}

/** Sends a job for every partition without a result (sending twice is harmless: see PartitionQueue.send). */
async function enqueueRun(sql: Sql, queue: PartitionQueue, runId: string, partitions: number, settings?: JobSettings): Promise<void> {
  const stored = await storedPartitions(sql, runId);
  for (let p = 0; p < partitions; p++) if (!stored.has(p)) await queue.send({ runId, partition: p }, settings);
}

/** Resolves once every partition has a stored result; rejects when one's job has failed for good, or on timeout. */
async function waitForRun(
  sql: Sql,
  queue: PartitionQueue,
  runId: string,
  partitions: number,
  opts: Pick<DistributedOptions, 'pollMs' | 'timeoutMs' | 'onProgress' | 'jobs'> = {},
): Promise<void> {
  const started = Date.now();
  let reported = -1;
  for (;;) {
    const stored = await storedPartitions(sql, runId);
    if (stored.size !== reported) opts.onProgress?.({ done: stored.size, total: partitions });
    reported = stored.size;
    if (stored.size >= partitions) return;
    for (let p = 0; p < partitions; p++) {
      if (stored.has(p)) continue;
      const job = await queue.state({ runId, partition: p });
      // A worker stores the result before its job completes: re-read before calling it lost.
      if (job === null || job.state === 'completed' || job.state === 'failed' || job.state === 'cancelled') {
        if ((await storedPartitions(sql, runId)).has(p)) continue;
      }
      if (job === null) {
        await queue.send({ runId, partition: p }, opts.jobs); // archived or deleted: send it again
      } else if (job.state === 'failed' || job.state === 'cancelled') {
        const [row] = await sql.query<{ key: string }>('SELECT key FROM distributed_partitions WHERE run_id = $1 AND partition = $2', [runId, p]);
        throw new Error(`run ${JSON.stringify(runId)}: partition ${p} (${row?.key}) ${job.state} after ${job.retryCount + 1} attempt(s)${job.error ? `: ${job.error}` : ''}`);
      } else if (job.state === 'completed') {
        throw new Error(`run ${JSON.stringify(runId)}: partition ${p}'s job completed without storing a result`);
      }
    }
    if (opts.timeoutMs !== undefined && Date.now() - started > opts.timeoutMs) {
      throw new Error(`run ${JSON.stringify(runId)}: ${stored.size} of ${partitions} partitions done after ${opts.timeoutMs} ms, expected all`);
    }
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs ?? 1000));
  }
}
