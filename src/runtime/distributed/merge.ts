import type { CommunityReport, CoverageReport } from '../../core/coverage/coverage.ts';
import { summarize } from '../../core/coverage/summary.ts';
import type { Standard } from '../../core/standards/types.ts';
import type { Queryable } from '../store/sql.ts';

/**
 * One report from a run's partition results: every community back at its place in the input, the
 * summary recomputed over all of them (a share is not the mean of the partitions' shares), and the
 * facilities section the coordinator computed on the whole graph. The same report, key for key, as
 * `computeCoverage` on the whole input.
 */
export async function mergeRun(db: Queryable, runId: string): Promise<CoverageReport> {
  const [run] = await db.query<{ partitions: number; communities: number; standards: Standard[]; facilities: CoverageReport['facilities'] }>(
    'SELECT partitions, communities, standards, facilities FROM distributed_runs WHERE run_id = $1',
    [runId],
  );
  if (!run) throw new Error(`no distributed run ${JSON.stringify(runId)}`);
  const rows = await db.query<{ partition: number; positions: number[]; communities: CommunityReport[] }>(
    `SELECT p.partition, p.positions, r.communities
       FROM distributed_partitions p JOIN distributed_results r USING (run_id, partition)
      WHERE p.run_id = $1 ORDER BY p.partition`,
    [runId],
  );
  if (rows.length !== run.partitions) {
    throw new Error(`run ${JSON.stringify(runId)}: ${rows.length} of ${run.partitions} partitions have a result, expected all`);
  }
  const communities = new Array<CommunityReport | undefined>(run.communities);
  for (const row of rows) {
    if (row.communities.length !== row.positions.length) {
      throw new Error(`run ${JSON.stringify(runId)} partition ${row.partition}: ${row.communities.length} community reports for ${row.positions.length} communities`);
    }
    row.positions.forEach((position, k) => (communities[position] = row.communities[k]));
  }
  const missing = communities.findIndex((c) => c === undefined);
  if (missing >= 0) throw new Error(`run ${JSON.stringify(runId)}: community ${missing} is in no partition`);
  const all = communities as CommunityReport[];
  return { communities: all, summary: summarize(all, run.standards), facilities: run.facilities };
}
