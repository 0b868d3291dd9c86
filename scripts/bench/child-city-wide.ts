/**
 * Benchmark child: the city-wide coverage computation (src/core/coverage/city-wide) on a generated city —
 * every community against all four Guangzhou standards, multi-source searches per category on every
 * core. The graph file is read straight into a SharedArrayBuffer, so the worker threads search the
 * very bytes that were read: no copy of the graph is made. Prints one JSON line.
 *
 *   child-city-wide.ts <graph.lcg> <facilities.geojson> <communities.geojson> [threads] [nearest|full]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import type { CityCoverageTimings, CoverageDetail } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { computeCityCoverageOnThreads } from '../../src/runtime/threads/city-workers.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readGraphFileShared } from '../../src/runtime/files/graph-file-shared.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import { maxRssMB, round } from './stats.ts';

const [graphPath, facilitiesPath, communitiesPath, threadsArg, detailArg] = process.argv.slice(2);
const threads = threadsArg ? Number(threadsArg) : availableParallelism();
const detail = (detailArg ?? 'nearest') as CoverageDetail;
const loadBefore = loadavg()[0];
const cpuBefore = process.cpuUsage();

const t0 = performance.now();
const graph = readGraphFileShared(graphPath);
const facilities = readFacilities(JSON.parse(readFileSync(facilitiesPath, 'utf8'))).facilities;
const communities = readCommunities(JSON.parse(readFileSync(communitiesPath, 'utf8'))).communities;
const t1 = performance.now();
const timings: CityCoverageTimings = {};
const report = await computeCityCoverageOnThreads(graph, communities, facilities, listStandards(), { maxSnapM: 500, threads, detail, timings });
const t2 = performance.now();

console.log(JSON.stringify({
  nodes: graph.nodeCount,
  edges: graph.edgeCount,
  communities: communities.length,
  urban: report.summary.communities.urban,
  rural: report.summary.communities.rural,
  facilities: facilities.length,
  threads,
  detail,
  readMs: Math.round(t1 - t0),
  computeMs: Math.round(t2 - t1),
  wallMs: Math.round(t2 - t0),
  ...timings,
  passing: Object.fromEntries(report.summary.standards.map((s) => [s.standardId, `${s.passing}/${s.communities}`])),
  // User + system time of every thread of the process: the work done, whatever else the cores ran.
  cpuS: round((process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e6, 1),
  peakRssMB: maxRssMB(),
  loadavgBefore: round(loadBefore, 2),
  loadavgAfter: round(loadavg()[0], 2),
}));
