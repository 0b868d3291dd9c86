/**
 * Benchmark child for issue 12: coverage measured from homes on a generated city.
 *
 *   child-homes.ts <city|http> <graph.lcg> <facilities.geojson> <communities.geojson> <homesPerCommunity> [threads] [homes.geojson]
 *
 * With a last argument, the homes are also written there (for the nightly command's run of the same city).
 * Each part runs in a process of its own (`city` or `http`): a server's latencies are not measured in
 * a heap that has just held a city's report.
 *
 * 1. City-wide: every community gets `homesPerCommunity` homes (seeded, scattered up to 150 m around
 *    its point or inside its compound's box, tied by `community`), read and placed as a request's or a
 *    nightly's `homes` are (readHomes, placeHomes), then the city-wide engine on every core — the
 *    homes' placement inside the timing.
 * 2. One community with its homes over HTTP, the city loaded: p50 / p99.
 * Prints one JSON line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { buildApp } from '../../src/edge/app.ts';
import { placeHomes } from '../../src/core/communities/place-homes.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readHomes } from '../../src/core/communities/read-homes.ts';
import type { CityCoverageTimings } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { computeCityCoverageOnThreads } from '../../src/runtime/threads/city-workers.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readGraphFileShared } from '../../src/runtime/files/graph-file-shared.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import { type CommunityFeature, homesFor } from './bench-homes.ts';
import { httpLatencies, maxRssMB, round } from './stats.ts';

const [part, graphPath, facilitiesPath, communitiesPath, perArg, threadsArg, homesOut] = process.argv.slice(2);
if (part !== 'city' && part !== 'http') throw new Error(`child-homes.ts: the first argument is city or http, got ${part}`);
const perCommunity = Number(perArg ?? 50);
const threads = threadsArg ? Number(threadsArg) : availableParallelism();
const loadBefore = loadavg()[0];

const graph = readGraphFileShared(graphPath);
const facilitiesJson = JSON.parse(readFileSync(facilitiesPath, 'utf8'));
const communitiesJson = JSON.parse(readFileSync(communitiesPath, 'utf8'));
const homesJson = homesFor(communitiesJson.features, perCommunity, 7);
if (homesOut) writeFileSync(homesOut, JSON.stringify(homesJson));
const facilities = readFacilities(facilitiesJson).facilities;
const cpuBefore = process.cpuUsage();

// The city's computation in a function of its own: its report (~1 GB) is garbage before the HTTP part,
// whose latencies would otherwise measure the collector working through it.
async function cityWide() {
  const t0 = performance.now();
  const communities = readCommunities(communitiesJson).communities;
  const homes = readHomes(homesJson, communities);
  for (const c of communities) c.homes = placeHomes(c, { given: homes.byCommunity.get(c.index) });
  const t1 = performance.now();
  const timings: CityCoverageTimings = {};
  const report = await computeCityCoverageOnThreads(graph, communities, facilities, listStandards(), { maxSnapM: 500, threads, timings });
  const t2 = performance.now();
  return {
    communities: communities.length,
    homes: communities.reduce((n, c) => n + (c.homes?.homes.length ?? 0), 0),
    placeHomesMs: Math.round(t1 - t0),
    computeMs: Math.round(t2 - t1),
    wallMs: Math.round(t2 - t0),
    ...timings,
    passing: Object.fromEntries(report.summary.standards.map((s) => [s.standardId, `${s.passing}/${s.communities}`])),
    cityPeakRssMB: maxRssMB(),
  };
}
if (part === 'city') {
  const city = await cityWide();
  const cpuS = round((process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e6, 1);
  console.log(JSON.stringify({ nodes: graph.nodeCount, edges: graph.edgeCount, ...city, facilities: facilities.length, threads, cpuS, loadavgBefore: round(loadBefore, 2), loadavgAfter: round(loadavg()[0], 2) }));
} else {
  // One community with its homes per request, the city loaded; no rate limit (one address sends thousands).
  const app = buildApp({ defaultGraph: graph, defaultFacilities: facilities, logger: false, protection: { rateLimitPerMinute: 0 } });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const bodies = communitiesJson.features.slice(0, 200).map((f: CommunityFeature, i: number) =>
    JSON.stringify({
      communities: { type: 'FeatureCollection', features: [f] },
      homes: { type: 'FeatureCollection', features: homesJson.features.slice(i * perCommunity, (i + 1) * perCommunity) },
    }),
  );
  const http = await httpLatencies(`${address}/v1/coverage`, bodies);
  await app.close();
  console.log(JSON.stringify({
    httpOneCommunityP50Ms: round(http.p50, 2),
    httpOneCommunityP99Ms: round(http.p99, 2),
    httpLoadavgBefore: round(loadBefore, 2),
    httpLoadavgAfter: round(loadavg()[0], 2),
  }));
}
