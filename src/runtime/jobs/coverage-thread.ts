/**
 * A coverage job's thread (started by coverage-in-thread.ts): reads the job's point sets, computes
 * the city-wide report (src/core/coverage/city-wide: its searches on more threads over the shared graph)
 * and hands the communities' reports over a piece at a time, encoded, waiting for each to be stored
 * before building the next — so neither this thread nor the main one ever holds the whole report.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readCommunities } from '../../core/communities/read-communities.ts';
import { resolveDeclarations } from '../../core/communities/read-declarations.ts';
import { placeHomes } from '../../core/communities/place-homes.ts';
import { readHomeFeatures, tieHomes } from '../../core/communities/read-homes.ts';
import { computeCityCoverageInPiecesOnThreads } from '../threads/city-workers.ts';
import { graphFromShared } from '../../core/coverage/city-wide/shared-graph.ts';
import { readFacilities } from '../../core/facilities/read-facilities.ts';
import type { CoverageThreadData, FromThread, ToThread } from './coverage-in-thread.ts';
import { threadFailure } from './job-thread.ts';
import { points, sourceJson } from './point-sets.ts';
import { encodePiece } from './piece-codec.ts';

const port = parentPort!;
const data = workerData as CoverageThreadData;

/** Resolved when the main thread says the last piece is stored. */
let stored: (() => void) | null = null;
port.on('message', (message: ToThread) => {
  if (message.type === 'stored') stored?.();
});

const post = (message: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const graph = graphFromShared(data.graph);
  const facilities = points(data.facilities, (source, crs) => readFacilities(source, { crs }).facilities);
  const communities = points(data.communities, (source, crs) => readCommunities(source, { crs }).communities);
  // Matched here, against the communities read: rows naming none (or an unknown item) go in the run.
  const declarations = data.declarations ? resolveDeclarations(data.declarations, { communities, standards: data.standards }) : undefined;
  // Homes tied to the communities read, placed once each; those tied to none go in the run's errors.
  const homes = data.homes ? tieHomes(readHomeFeatures(sourceJson(data.homes.source), { crs: data.homes.crs }), communities) : undefined;
  if (homes && data.options.origin !== 'representative') {
    for (const c of communities) c.homes = placeHomes(c, { given: homes.byCommunity.get(c.index) });
  }
  post({ type: 'started', communities: communities.length });
  // Search progress, at most a few times a second (the last one always).
  let said = 0;
  const onProgress = (done: number, total: number) => {
    if (done < total && performance.now() - said < 250) return;
    said = performance.now();
    post({ type: 'searching', done, total });
  };
  const rest = await computeCityCoverageInPiecesOnThreads(graph, communities, facilities, data.standards, { ...data.options, ...(declarations ? { declarations: declarations.byCommunity } : {}), onProgress }, async (first, reports) => {
    const piece = encodePiece(first, reports, communities.slice(first, first + reports.length).map((c) => c.geometry));
    const done = new Promise<void>((resolve) => (stored = resolve));
    post({ type: 'piece', piece }, [piece.reports.buffer as ArrayBuffer, piece.geometries.buffer as ArrayBuffer]);
    await done;
  });
  const errors = { ...(declarations ? { declarations: declarations.errors } : {}), ...(homes ? { homes: homes.errors } : {}) };
  post({ type: 'done', rest: declarations || homes ? { ...rest, errors } : rest });
} catch (err) {
  post({ type: 'failed', error: threadFailure(err) });
}
// The main thread terminates this thread once it has read the last message.
