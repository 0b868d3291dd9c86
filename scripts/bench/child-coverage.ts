/**
 * Benchmark child: the full coverage report (all four Guangzhou standards, the city-wide engine in one
 * thread, with reachable counts) for a generated city's
 * communities and facilities, then one-community coverage over HTTP with the city loaded.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { buildApp } from '../../src/edge/app.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { computeCityCoverageSync } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readGraphFile } from '../../src/runtime/files/graph-file.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import { httpLatencies, maxRssMB, round } from './stats.ts';

const [graphPath, facilitiesPath, communitiesPath] = process.argv.slice(2);
const graph = readGraphFile(graphPath);
const facilitiesJson = JSON.parse(readFileSync(facilitiesPath, 'utf8'));
const communitiesJson = JSON.parse(readFileSync(communitiesPath, 'utf8'));

const t0 = performance.now();
const facilities = readFacilities(facilitiesJson).facilities;
const communities = readCommunities(communitiesJson).communities;
const t1 = performance.now();
// The engine every caller uses (issue 12), in one thread; homes placed by it (grid, points).
const report = computeCityCoverageSync(graph, communities, facilities, listStandards(), { maxSnapM: 500, threads: 1, detail: 'full' });
const t2 = performance.now();
const shares = Object.fromEntries(report.summary.standards.map((s) => [s.standardId, `${s.passing}/${s.communities}`]));

// One community per request against the loaded city (facilities placed once, at the first request).
// No rate limit: the benchmark sends thousands of requests from one address, as no single client would.
const app = buildApp({ defaultGraph: graph, defaultFacilities: facilities, logger: false, protection: { rateLimitPerMinute: 0 } });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const bodies = communitiesJson.features.slice(0, 400).map((f: unknown) => JSON.stringify({ communities: { type: 'FeatureCollection', features: [f] } }));
const http = await httpLatencies(`${address}/v1/coverage`, bodies);
await app.close();
console.log(JSON.stringify({
  communities: communities.length,
  urban: report.summary.communities.urban,
  rural: report.summary.communities.rural,
  facilities: facilities.length,
  parseMs: Math.round(t1 - t0),
  reportMs: Math.round(t2 - t1),
  passing: shares,
  peakRssMB: maxRssMB(),
  httpOneCommunityP50Ms: round(http.p50, 2),
  httpOneCommunityP99Ms: round(http.p99, 2),
  httpMeanMs: round(http.mean, 2),
}));
