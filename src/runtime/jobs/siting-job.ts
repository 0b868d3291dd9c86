import type { Community } from '../../core/communities/read-communities.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { SitingResponse } from '../requests/siting.ts';
import type { Job, PointsSourceText, RunInput } from '../store/index.ts';
import type { PointSet } from './coverage-in-thread.ts';
import type { RunInputs } from './runner.ts';
import { computeSitingInThread } from './siting-in-thread.ts';

/**
 * A siting job (kind `siting`): the same request as POST /v1/siting, its communities, homes,
 * facilities and network named as stored datasets, run by the job runner under its lease like a
 * coverage job (runner.ts: claimed, renewed, cancelled, released, retried alike). Its run holds the
 * answer whole — no pieces: a ranked list of sites and a line per community — and GET /v1/runs/:id
 * renders it as JSON, GeoJSON or CSV exactly as the synchronous endpoint does (siting-answer.ts).
 */

/** The job's params that name datasets; the rest are the siting request's own, passed on as sent. */
const DATASET_PARAMS = ['communities', 'network', 'facilities', 'homes'] as const;

export interface SitingJobInputs {
  graph: Graph;
  facilities: PointSet<Facility>;
  communities: PointSet<Community>;
  homes?: { source: PointsSourceText; crs: string };
  /** Which data the run used (the runner's inputVersions). */
  inputs: RunInputs;
  threads?: number;
}

export interface SitingJobHandlers {
  signal: AbortSignal;
  /** Communities read (the total), then all done: recorded as the job's progress, renewing its lease. */
  onProgress(done: number, total: number): Promise<void>;
}

/** Computes the job's siting answer in a thread of its own and makes it the run to store. */
export async function sitingRun(job: Job, data: SitingJobInputs, handlers: SitingJobHandlers): Promise<RunInput> {
  const params = { ...job.params };
  const datasets: Record<string, string> = {};
  for (const key of DATASET_PARAMS) {
    if (typeof params[key] === 'string') datasets[key] = params[key] as string;
    delete params[key];
  }
  let total = 0;
  const response = await computeSitingInThread(
    {
      graph: data.graph,
      facilities: data.facilities,
      communities: data.communities,
      ...(data.homes ? { homes: data.homes } : {}),
      params,
      datasets,
      ...(data.threads !== undefined ? { threads: data.threads } : {}),
    },
    {
      signal: handlers.signal,
      onStart: (communities) => handlers.onProgress(0, (total = communities)),
    },
  );
  await handlers.onProgress(total, total);
  return {
    summary: sitingSummary(response),
    report: { ...response, inputs: data.inputs },
    communities: { dataset: data.inputs.communities.dataset, version: data.inputs.communities.version },
  };
}

/** What lists of runs show of a siting run: the item, the method and its guarantee, the shares, how many sites. */
function sitingSummary(r: SitingResponse) {
  return {
    item: r.item,
    objective: r.objective,
    method: r.method,
    optimal: r.optimal,
    ...(r.bound ? { bound: r.bound } : {}),
    sites: r.sites.length,
    before: r.before,
    after: r.after,
    ...(r.target ? { target: r.target } : {}),
  };
}
