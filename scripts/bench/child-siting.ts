/**
 * Benchmark child for issue 15: siting on the generated city.
 *
 *   child-siting.ts <graph.lcg> <facilities.geojson> <communities.geojson> [threads]
 *
 * 1. Greedy at city scale: every community with 50 homes (bench-homes.ts), elderly care (public-7 of
 *    the urban basic circle), a 100 m candidate grid over the communities' extent, k = 20, greedy, the
 *    candidates' searches on every core — reading the inputs and the grid included.
 * 2. Exact: the first 200 urban communities with their homes × 500 seeded candidate points in their
 *    extent, k = 10, HiGHS.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readGraphFileShared } from '../../src/runtime/files/graph-file-shared.ts';
import { type SitingResponse, siting } from '../../src/runtime/requests/siting.ts';
import { Rng } from '../lib/prng.ts';
import { type CommunityFeature, homesFor } from './bench-homes.ts';
import { maxRssMB, round } from './stats.ts';

const [graphPath, facilitiesPath, communitiesPath, threadsArg] = process.argv.slice(2);
const threads = threadsArg ? Number(threadsArg) : availableParallelism();
const loadBefore = loadavg()[0];

const graph = readGraphFileShared(graphPath);
const facilities = readFacilities(JSON.parse(readFileSync(facilitiesPath, 'utf8'))).facilities;
const communitiesJson = JSON.parse(readFileSync(communitiesPath, 'utf8')) as { type: string; features: (CommunityFeature & { properties: { type?: string } })[] };
const homesJson = homesFor(communitiesJson.features, 50, 7);
const ctx = { defaultGraph: graph, defaultFacilities: facilities, unlimited: true };
const item = { standard: 'guangzhou-2020-urban-basic', item: 'public-7' };

// 1. Greedy, k = 20, 100 m grid, the whole city.
const greedyTimings: Record<string, number> = {};
const t0 = performance.now();
const greedy = (await siting({ communities: communitiesJson, homes: homesJson, ...item, candidates: { grid: 100 }, k: 20, method: 'greedy' }, ctx, { threads, timings: greedyTimings })).response as SitingResponse;
const greedyMs = performance.now() - t0;
const greedyRssMB = maxRssMB();

// 2. Exact on 200 communities × 500 candidates.
const urban = communitiesJson.features.filter((f) => f.properties.type !== 'rural').slice(0, 200);
const ids = new Set(urban.map((f) => f.properties.id));
const small = { type: 'FeatureCollection', features: urban };
const smallHomes = { ...homesJson, features: homesJson.features.filter((h) => ids.has((h as { properties: { community: string } }).properties.community)) };
const box = [Infinity, Infinity, -Infinity, -Infinity];
for (const h of smallHomes.features as { geometry: { coordinates: number[] } }[]) {
  const [lon, lat] = h.geometry.coordinates;
  box[0] = Math.min(box[0], lon);
  box[1] = Math.min(box[1], lat);
  box[2] = Math.max(box[2], lon);
  box[3] = Math.max(box[3], lat);
}
const rng = new Rng(15, 'siting-candidates');
const candidates = {
  type: 'FeatureCollection',
  features: Array.from({ length: 500 }, (_, i) => ({
    type: 'Feature',
    properties: { id: `s${i}` },
    geometry: { type: 'Point', coordinates: [round(box[0] + rng.next() * (box[2] - box[0]), 7), round(box[1] + rng.next() * (box[3] - box[1]), 7)] },
  })),
};
const exactTimings: Record<string, number> = {};
const t1 = performance.now();
const exact = (await siting({ communities: small, homes: smallHomes, ...item, candidates, k: 10, method: 'exact', timeLimitSeconds: 60 }, ctx, { threads: 1, timings: exactTimings })).response as SitingResponse;
const exactMs = performance.now() - t1;

console.log(JSON.stringify({
  nodes: graph.nodeCount,
  edges: graph.edgeCount,
  threads,
  communities: communitiesJson.features.length,
  homes: homesJson.features.length,
  facilities: facilities.length,
  greedyCandidates: greedy.candidates.count,
  greedyUseful: greedy.candidates.useful,
  greedySites: greedy.sites.length,
  greedyMs: Math.round(greedyMs),
  greedyTimings,
  greedyShareBefore: greedy.before.populationShare,
  greedyShareAfter: greedy.after.populationShare,
  greedyBoundShare: greedy.bound?.share,
  greedyPeakRssMB: greedyRssMB,
  exactCommunities: urban.length,
  exactCandidates: exact.candidates.count,
  exactUseful: exact.candidates.useful,
  exactMs: Math.round(exactMs),
  exactTimings,
  exactOptimal: exact.optimal,
  exactShareAfter: exact.after.populationShare,
  loadavgBefore: round(loadBefore, 2),
  loadavgAfter: round(loadavg()[0], 2),
}));
