/**
 * A siting job's thread (started by siting-in-thread.ts): reads the job's point sets and answers the
 * siting request as POST /v1/siting does (src/runtime/requests/siting.ts) — the stored communities and homes
 * handed in as collections carrying their stored crs, the facilities as the request's default set —
 * with no per-request limit (`unlimited`, as the CLI runs), its candidates' searches on more threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { graphFromShared } from '../../core/coverage/city-wide/shared-graph.ts';
import { readFacilities } from '../../core/facilities/read-facilities.ts';
import { siting } from '../requests/siting.ts';
import type { FromSitingThread, SitingThreadData } from './siting-in-thread.ts';
import { threadFailure } from './job-thread.ts';
import { points, sourceJson } from './point-sets.ts';

const port = parentPort!;
const data = workerData as SitingThreadData;
const post = (message: FromSitingThread) => port.postMessage(message);

try {
  const graph = graphFromShared(data.graph);
  const facilities = points(data.facilities, (source, crs) => readFacilities(source, { crs }).facilities);
  const body: Record<string, unknown> = { ...data.params };
  let read;
  if ('items' in data.communities) {
    read = { communities: [...data.communities.items], errors: [], warnings: [] };
    // Read already, so siting() does not read `communities`; the body names their dataset, as it may, to fit its schema.
    body.communities = data.datasets.communities;
  } else body.communities = withCrs(sourceJson(data.communities.source), data.communities.crs);
  if (data.homes) body.homes = withCrs(sourceJson(data.homes.source), data.homes.crs);
  const { response } = await siting(body, { defaultGraph: graph, defaultFacilities: facilities, unlimited: true, datasets: data.datasets }, {
    threads: data.threads,
    ...(read ? { communities: read } : {}),
    onRead: (communities) => post({ type: 'started', communities }),
  });
  if ('whatIf' in response) throw new Error('a siting job answered a what-if: its params were not checked');
  post({ type: 'done', response });
} catch (err) {
  post({ type: 'failed', error: threadFailure(err) });
}
// The main thread terminates this thread once it has read the last message.

/** A stored collection with its stored crs as its crs member, so the one rule applies (src/core/geo/collection-crs.ts). */
function withCrs(collection: unknown, crs: string): unknown {
  return { ...(collection as object), crs: { type: 'name', properties: { name: crs } } };
}
