import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Feature, Point } from 'geojson';
import { generateCity } from '../../scripts/lib/city.ts';
import { type Community, readCommunities } from '../../src/core/communities/read-communities.ts';
import type { ItemResult } from '../../src/core/coverage/assess.ts';
import { type CoverageReport, computeCoverage } from '../../src/core/coverage/coverage.ts';
import { computeCityCoverageSync } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { MultiSourceSearch } from '../../src/core/coverage/city-wide/multi-source.ts';
import { offerOwnEdges } from '../../src/core/coverage/city-wide/nearest-table.ts';
import { CityWorkers, computeCityCoverageInPiecesOnThreads, computeCityCoverageOnThreads } from '../../src/runtime/threads/city-workers.ts';
import { planTravelGroups } from '../../src/core/coverage/city-wide/plan.ts';
import { graphFromShared, shareGraph } from '../../src/core/coverage/city-wide/shared-graph.ts';
import { ReachedFacilities } from '../../src/core/coverage/reach.ts';
import { type Facility, readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { readGraphFileShared } from '../../src/runtime/files/graph-file-shared.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import type { Mode } from '../../src/core/network/profiles.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import { snapToNetwork } from '../../src/core/spatial/snap.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import { mulberry32 } from '../helpers/random-network.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';

/**
 * The city-wide computation (one multi-source search per category) against the per-community method
 * (one search per community): small maps with answers worked out by hand, then seeded random cities
 * where every community's every item must come out the same (the seed is in every message).
 */

const FC = <T>(features: Iterable<T>) => ({ type: 'FeatureCollection', features: [...features] });
const itemOf = (report: CoverageReport, community: string, item: string, standard?: string): ItemResult => {
  const c = report.communities.find((x) => x.id === community)!;
  const s = standard ? c.standards.find((x) => x.standardId === standard)! : c.standards[0];
  return s.items.find((i) => i.itemId === item)!;
};

describe('city-wide coverage on hand-drawn maps', () => {
  it('the small town: the known answers, and the same report as the per-community method', () => {
    const graph = graphOf(town.network);
    const communities = readCommunities(fc([
      town.point('north', town.at('b'), { type: 'urban', services: ['volunteers'], population: 1000 }),
      town.point('south', town.at('f'), { type: 'urban', services: ['app', 'volunteers'], population: 3000 }),
      town.point('east', town.at('h'), { type: 'urban', population: 500 }),
      // On the clinic's own edge, 10% of the way b → c: 70 m straight along it, no node between.
      town.point('beside', town.between('b', 'c', 0.1), { type: 'urban' }),
    ])).communities;
    const facilities = readFacilities(TOWN_FACILITIES).facilities;
    const standards = [SMALL_TOWN_STANDARD as Standard];
    const city = computeCityCoverageSync(graph, communities, facilities, standards, { maxSnapM: 100 });
    expect(city.detail).toBe('nearest');
    expect(itemOf(city, 'north', 'clinic')).toMatchObject({ status: 'met', nearest: { facilityId: 'clinic-1', meters: 100 } });
    expect(itemOf(city, 'north', 'park').status).toBe('unmet');
    expect(itemOf(city, 'south', 'clinic').nearest!.meters).toBe(350);
    expect(itemOf(city, 'south', 'park')).toMatchObject({ status: 'met', nearest: { facilityId: 'park-1', meters: 150, minutes: 2 } });
    expect(itemOf(city, 'east', 'clinic').status).toBe('unmet');
    expect(itemOf(city, 'beside', 'clinic').nearest).toMatchObject({ facilityId: 'clinic-1', meters: 70, minutes: round2(70 / 75) });
    expect(city.communities.find((c) => c.id === 'south')!.standards[0].pass).toBe(true);
    // 'nearest' detail: no count is stated, not even zero.
    for (const c of city.communities) for (const s of c.standards) for (const i of s.items) expect(i).not.toHaveProperty('reachableCount');
    const reference = computeCoverage(graph, communities, facilities, standards, { maxSnapM: 100 });
    expect(withoutCounts(city)).toEqual(withoutCounts(reference));
    const full = computeCityCoverageSync(graph, communities, facilities, standards, { maxSnapM: 100, detail: 'full' });
    expect(full.detail).toBe('full');
    expect(itemOf(full, 'north', 'clinic').reachableCount).toBe(1);
    expect({ ...full, detail: undefined }).toEqual({ ...reference, detail: undefined });
  });

  // 50 m per character; a→b and b→c one-way for vehicles. By car a resident 80% of the way a→b can
  // only reach the clinic halfway a→b by going round: b, c, e, d, a and on to it.
  const loop = asciiMap(`
a---->b---->c
|           |
|           |
d-----------e
`);
  const carStandard = { ...(SMALL_TOWN_STANDARD as Standard), id: 'by-car', mode: 'car' as Mode, minutes: 10 };
  const loopFacilities = readFacilities(fc([loop.point('clinic-1', loop.between('a', 'b', 0.5), { category: 'clinic' })])).facilities;
  const loopCommunities = readCommunities(fc([
    loop.point('ahead', loop.between('a', 'b', 0.2), { type: 'urban' }),
    loop.point('behind', loop.between('a', 'b', 0.8), { type: 'urban' }),
    loop.point('at-c', loop.at('c'), { type: 'urban' }),
  ])).communities;

  it('one-way streets by car: along the own edge ahead, round the block behind', () => {
    const graph = graphOf(loop.network);
    const city = computeCityCoverageSync(graph, loopCommunities, loopFacilities, [carStandard], { maxSnapM: 50 });
    // 0.3 × 300 m straight along the edge.
    expect(itemOf(city, 'ahead', 'clinic').nearest!.meters).toBe(90);
    // 60 m to b, then b→c 300, c→e 150, e→d 600, d→a 150, a→clinic 150.
    expect(itemOf(city, 'behind', 'clinic').nearest!.meters).toBe(60 + 300 + 150 + 600 + 150 + 150);
    expect(itemOf(city, 'at-c', 'clinic').nearest!.meters).toBe(150 + 600 + 150 + 150);
    expect(withoutCounts(city)).toEqual(withoutCounts(computeCoverage(graph, loopCommunities, loopFacilities, [carStandard], { maxSnapM: 50 })));
    // On foot the one-way signs do not apply: 0.3 × 300 m back along the edge.
    const walking = computeCityCoverageSync(graph, loopCommunities, loopFacilities, [carStandard], { maxSnapM: 50, mode: 'walk', minutes: 30 });
    expect(itemOf(walking, 'behind', 'clinic').nearest!.meters).toBe(90);
  });

  it('an origin too far from every road: the same error as the per-community method', () => {
    const graph = graphOf(loop.network);
    const far = readCommunities(fc([loop.point('far', loop.between('a', 'b', 0.5, 400), { type: 'urban' })])).communities;
    const city = computeCityCoverageSync(graph, far, loopFacilities, [carStandard], { maxSnapM: 50 });
    const reference = computeCoverage(graph, far, loopFacilities, [carStandard], { maxSnapM: 50 });
    expect(city.communities[0].error).toBe('no home of community "far" is within 50 m of a road usable by car');
    expect(withoutCounts(city)).toEqual(withoutCounts(reference));
  });
});

describe('shared graph', () => {
  it('views of one SharedArrayBuffer, equal to the original, the spatial index wrapped again', () => {
    const graph = randomCity(1).graph;
    const shared = shareGraph(graph);
    expect(shared.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const viewed = graphFromShared(shared);
    expect(viewed.arcHead.buffer).toBe(shared.bytes.buffer);
    expect(viewed.geom.buffer).toBe(shared.bytes.buffer);
    expect(viewed.arcHead).toEqual(graph.arcHead);
    expect(viewed.geom).toEqual(graph.geom);
    // Already shared: used as it is, not copied again.
    expect(shareGraph(viewed).bytes).toBe(shared.bytes);
    // A graph file read into shared memory is shared as it is.
    const file = join(mkdtempSync(join(tmpdir(), 'city-wide-')), 'city.lcg');
    writeGraphFile(file, graph);
    const loaded = readGraphFileShared(file);
    expect(loaded.edgeArc.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shareGraph(loaded).bytes).toBe(loaded.bytes);
    expect(loaded.edgeArc).toEqual(graph.edgeArc);
    const back = graphFromShared(structuredClone(shared));
    expect(back.arcHead.buffer).toBeInstanceOf(SharedArrayBuffer);
    const [lon, lat] = [graph.nodeCoords[0] + 0.0003, graph.nodeCoords[1] + 0.0002];
    const any = () => true;
    expect(snapToNetwork(back, lon, lat, 500, any)).toEqual(snapToNetwork(graph, lon, lat, 500, any));
    expect(snapToNetwork(back, lon, lat, 500, any)).not.toBeNull();
  });
});

interface City {
  seed: number;
  graph: Graph;
  communities: Community[];
  facilities: Facility[];
}

/**
 * A generated town made harder: facilities with two or three categories and with entrances,
 * communities standing exactly where facilities stand (an origin on a facility's edge), entrances
 * for some communities, and a share of villages.
 */
function randomCity(seed: number): City {
  const rand = mulberry32(seed);
  const city = generateCity({ edges: 3000, pois: 700, communities: 70, origins: 1, seed });
  const graph = graphFromGeoJson(FC(city.network()));
  const categories = [...new Set([...city.facilities()].map((f) => f.properties.category))];
  const jitter = ([lon, lat]: number[]): [number, number] => [lon + (rand() - 0.5) * 0.002, lat + (rand() - 0.5) * 0.002];
  const facilityFeatures = [...city.facilities()].map((f) => {
    const properties: Record<string, unknown> = { ...f.properties };
    const r = rand();
    if (r < 0.2) properties.category = [f.properties.category, categories[Math.floor(rand() * categories.length)]];
    else if (r < 0.3) properties.category = `${f.properties.category};${categories[Math.floor(rand() * categories.length)]};${categories[Math.floor(rand() * categories.length)]}`;
    if (rand() < 0.15) properties.entrances = [jitter(f.geometry.coordinates), jitter(f.geometry.coordinates)];
    return { ...f, properties };
  });
  const communityFeatures: Feature[] = [...city.communities()].map((c) => {
    const properties: Record<string, unknown> = { ...c.properties };
    if (rand() < 0.2) properties.type = 'rural';
    if (c.geometry.type === 'Point' && rand() < 0.3) properties.entrances = [jitter(c.geometry.coordinates), jitter(c.geometry.coordinates)];
    return { ...c, properties };
  });
  for (let i = 0; i < 15; i++) {
    const f = facilityFeatures[Math.floor(rand() * facilityFeatures.length)] as Feature<Point>;
    communityFeatures.push({ type: 'Feature', properties: { id: `at-facility-${i}`, type: rand() < 0.3 ? 'rural' : 'urban' }, geometry: f.geometry });
  }
  return {
    seed,
    graph,
    communities: readCommunities(FC(communityFeatures)).communities,
    facilities: readFacilities(FC(facilityFeatures)).facilities,
  };
}

/** The built-in standards made to travel by bike (towns, 10 min) and car (villages, 8 min): one-way streets matter. */
function directedStandards(): Standard[] {
  return listStandards().map((s) => (s.communityType === 'urban' ? { ...s, mode: 'bike' as Mode, minutes: 10 } : { ...s, mode: 'car' as Mode, minutes: 8 }));
}

const SEEDS = [11, 12, 13, 14];
const cities = new Map<number, City>();
const cityOf = (seed: number) => {
  if (!cities.has(seed)) cities.set(seed, randomCity(seed));
  return cities.get(seed)!;
};

describe.each(SEEDS)('random city, seed %i: identical to the per-community method', (seed) => {
  it.each([
    ['walk / e-bike (the standards as written)', listStandards],
    ['bike / car with one-way streets', directedStandards],
  ])('%s: every group, community and category, the nearest time to 1e-9', (_, standardsOf) => {
    const { graph, communities, facilities } = cityOf(seed);
    const opts = { maxSnapM: 300 };
    const groups = planTravelGroups(graph, communities, facilities, standardsOf(), opts, 'nearest', false);
    const multi = new MultiSourceSearch(graph);
    const router = new Router(graph);
    let compared = 0;
    let reached = 0;
    for (const { work, placed, costing } of groups) {
      const bound = multi.fillOriginTimesSparse(work.costing, work.origins, work.budgetS);
      for (let j = 0; j < work.table.categories.length; j++) multi.fillColumn(work.costing, work.facilitySeeds, work.origins, bound, work.budgetS, work.table, j);
      multi.clearOriginTimes();
      offerOwnEdges(work.table, work.origins, placed, work.budgetS);
      const scan = new ReachedFacilities(placed);
      const { origins, table } = work;
      // Rows are homes (here one per community, the communities being points or representative), by community.
      for (let i = 0; i < communities.length; i++) {
        for (let row = origins.rowStart[i]; row < origins.rowStart[i + 1]; row++) {
          const points = [];
          for (let p = origins.pointStart[row]; p < origins.pointStart[row + 1]; p++) {
            points.push({ edge: origins.pointEdge[p], fraction: origins.pointFraction[p], accessS: origins.pointAccessS[p], accessM: origins.pointAccessM[p] });
          }
          if (points.length === 0) continue;
          scan.scan(router.searchFrom(costing, points, work.budgetS), points);
          const best = new Map<number, number>();
          for (let r = 0; r < scan.count; r++) {
            const k = scan.entries[r];
            const c = placed.index.category[k];
            best.set(c, Math.min(best.get(c) ?? Infinity, scan.time[k]));
          }
          for (let j = 0; j < table.categories.length; j++) {
            const expected = best.get(table.categories[j]) ?? Infinity;
            const got = table.time[j * table.rowCount + row];
            const where = `seed ${seed}, ${work.key}, community ${communities[i].id}, category ${table.categories[j]}`;
            if (expected === Infinity) expect(got, where).toBe(Infinity);
            else {
              expect(Math.abs(got - expected), where).toBeLessThanOrEqual(1e-9 * expected);
              // The entry named takes that time too (on a tie another entry may be named).
              expect(Math.abs(scan.time[table.entry[j * table.rowCount + row]] - expected), where).toBeLessThanOrEqual(1e-9 * expected);
              reached++;
            }
            compared++;
          }
        }
      }
    }
    expect(reached, `seed ${seed}: some categories are reached at all`).toBeGreaterThan(compared / 10);
    expect(reached, `seed ${seed}: some are not`).toBeLessThan(compared);
  });

  it.each([
    ['walk / e-bike', listStandards],
    ['bike / car', directedStandards],
  ])('%s: the same reports, items, shares and summary', (_, standardsOf) => {
    const { graph, communities, facilities } = cityOf(seed);
    const opts = { maxSnapM: 300 };
    const reference = computeCoverage(graph, communities, facilities, standardsOf(), opts);
    const nearest = computeCityCoverageSync(graph, communities, facilities, standardsOf(), opts);
    const counts = sameReports(nearest, reference, `seed ${seed}`);
    expect(counts.rural, `seed ${seed}: villages are assessed`).toBeGreaterThan(0);
    expect(counts.met, `seed ${seed}: items met`).toBeGreaterThan(100);
    expect(counts.unmet, `seed ${seed}: items unmet`).toBeGreaterThan(10);
    // 'full' states reachableCount as the per-community method counts it.
    const full = computeCityCoverageSync(graph, communities, facilities, standardsOf(), { ...opts, detail: 'full' });
    sameReports(full, reference, `seed ${seed}, full`, true);
  });
});

describe('worker threads', () => {
  let workers: CityWorkers;
  beforeAll(() => {
    workers = CityWorkers.start(cityOf(SEEDS[0]).graph, 2);
  });
  afterAll(() => workers.close());

  it.each([
    ['walk / e-bike', 'nearest', listStandards],
    ['bike / car', 'full', directedStandards],
  ] as const)('%s, detail %s: the same report as in one thread and as the per-community method', async (_, detail, standardsOf) => {
    const { seed, graph, communities, facilities } = cityOf(SEEDS[0]);
    const opts = { maxSnapM: 300, detail };
    let progress = 0;
    const parallel = await computeCityCoverageOnThreads(graph, communities, facilities, standardsOf(), { ...opts, workers, onProgress: (done) => (progress = done) });
    expect(progress).toBeGreaterThan(10);
    expect(parallel).toEqual(computeCityCoverageSync(graph, communities, facilities, standardsOf(), opts));
    sameReports(parallel, computeCoverage(graph, communities, facilities, standardsOf(), opts), `seed ${seed}, threads`, detail === 'full');
  });

  it('in pieces, on threads or in this one: the same communities, piece after piece, and the same rest of the report', async () => {
    const { graph, communities, facilities } = cityOf(SEEDS[0]);
    const opts = { maxSnapM: 300, detail: 'full' as const };
    const whole = computeCityCoverageSync(graph, communities, facilities, listStandards(), opts);
    for (const options of [{ ...opts, workers, pieceSize: 7 }, { ...opts, threads: 1, pieceSize: communities.length + 5 }]) {
      const firsts: number[] = [];
      const reports: CoverageReport['communities'] = [];
      const rest = await computeCityCoverageInPiecesOnThreads(graph, communities, facilities, listStandards(), options, async (first, piece) => {
        firsts.push(first);
        reports.push(...piece);
        await new Promise((resolve) => setImmediate(resolve)); // the next piece waits for this one
      });
      expect(firsts).toEqual(Array.from({ length: Math.ceil(communities.length / options.pieceSize) }, (_, i) => i * options.pieceSize));
      expect({ communities: reports, ...rest }).toEqual(whole);
    }
  });

  it('refuses workers started for another graph', async () => {
    const other = cityOf(SEEDS[1]);
    await expect(computeCityCoverageOnThreads(other.graph, other.communities, other.facilities, listStandards(), { maxSnapM: 300, workers })).rejects.toThrow(/another graph/);
  });
});

/**
 * Every community, standard and item the same; a nearest facility may differ only where two are
 * exactly as near (then the times must agree). Returns how many items were compared, by outcome.
 */
function sameReports(got: CoverageReport, want: CoverageReport, where: string, counts = false): { met: number; unmet: number; rural: number } {
  const tally = { met: 0, unmet: 0, rural: 0 };
  expect(got.communities.length, where).toBe(want.communities.length);
  expect(got.summary, where).toEqual(want.summary);
  expect(got.facilities, where).toEqual(want.facilities);
  got.communities.forEach((c, ci) => {
    const w = want.communities[ci];
    const at = `${where}, community ${w.id}`;
    const { standards: gs, ...gRest } = c;
    const { standards: ws, ...wRest } = w;
    expect(gRest, at).toEqual(wRest);
    expect(gs.length, at).toBe(ws.length);
    if (c.type === 'rural' && gs.length > 0) tally.rural++;
    gs.forEach((s, si) => {
      const { items: gi, ...sRest } = s;
      const { items: wi, ...wsRest } = ws[si];
      expect(sRest, `${at}, ${s.standardId}`).toEqual(wsRest);
      gi.forEach((item, ii) => {
        const expected = wi[ii];
        // Tens of thousands of items: each compared plainly, handed to expect (with its place) only
        // when it differs — expect's bookkeeping per call was a third of this file's CPU.
        const it = () => `${at}, ${s.standardId}, item ${expected.itemId}`;
        if (item.status !== expected.status) expect(item.status, it()).toBe(expected.status);
        if (counts) {
          if (item.reachableCount !== expected.reachableCount) expect(item.reachableCount, it()).toBe(expected.reachableCount);
        } else if ('reachableCount' in item) expect(item, it()).not.toHaveProperty('reachableCount');
        if (expected.status === 'met') tally.met++;
        if (expected.status === 'unmet') tally.unmet++;
        if (!expected.nearest) {
          if (item.nearest !== undefined) expect(item.nearest, it()).toBeUndefined();
          return;
        }
        const n = item.nearest!;
        const e = expected.nearest;
        // Minutes are rounded to 0.01 in the report: times that agree to 1e-9 round alike but
        // for one exactly on a half hundredth.
        if (!(Math.abs(n.minutes - e.minutes) <= 0.010001)) expect(Math.abs(n.minutes - e.minutes), it()).toBeLessThanOrEqual(0.010001);
        if (n.facilityId === e.facilityId && n.category === e.category && JSON.stringify(n) !== JSON.stringify(e)) expect(n, it()).toEqual(e);
      });
    });
  });
  return tally;
}

function withoutCounts(report: CoverageReport): unknown {
  return JSON.parse(JSON.stringify({ ...report, detail: undefined }, (k, v) => (k === 'reachableCount' ? undefined : v)));
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
