import type { Feature, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateCity } from '../../scripts/lib/city.ts';
import { placeHomes } from '../../src/core/communities/place-homes.ts';
import { type Community, readCommunities } from '../../src/core/communities/read-communities.ts';
import { readHomes } from '../../src/core/communities/read-homes.ts';
import type { ItemResult } from '../../src/core/coverage/assess.ts';
import { computeCityCoverageSync } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { type CoverageReport, computeCoverage } from '../../src/core/coverage/coverage.ts';
import { homesOf } from '../../src/core/coverage/home-origins.ts';
import { type Facility, readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { haversineM } from '../../src/core/geo/distance.ts';
import { LocalProjection } from '../../src/core/geo/local-projection.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import { costingFor } from '../../src/core/routing/costing.ts';
import { getStandard } from '../../src/runtime/files/standards-catalogue.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { BruteForceNetwork, type Placement, expectedVerdict } from '../helpers/brute-force.ts';
import { mulberry32 } from '../helpers/random-network.ts';

/**
 * Coverage from homes against a brute force written from scratch (test/helpers/brute-force.ts), on
 * seeded random cities: the generated road network and facilities of scripts/lib/city.ts, with
 * communities drawn here — compounds (rectangles at any angle, 30–600 m), some with gates; compounds
 * in two or three parts far apart, each part with or without gates; points, with or without gates;
 * compounds with homes given one by one with their population — and some facilities as polygons
 * (reached along their outline).
 *
 * For every home: a plain Dijkstra from its own road, or from each gate of its own part (the gates
 * the generator put in that part, walked to in a straight line at 4.5 km/h); its nearest facility of
 * every item; then the item's share of residents, weighted median, worst, status by plain
 * arithmetic. Both the city-wide engine and the per-home oracle (computeCoverage) must agree on
 * every community × item. A home about as near two roads (within 0.5 m) is computed from both and
 * its time kept as a range; a home within 1 s of the budget may be counted in or out, so the share
 * and the minutes are checked as ranges, and a case whose status it could change is a tie, counted
 * and skipped. The homes themselves are the engine's (placeHomes: tested in test/communities); which
 * part a home is in, and so which gates it walks to, is the generator's own geometry.
 */

const WALK_MPS = 4.5 / 3.6;
const MAX_SNAP_M = 250;
const standard = getStandard('guangzhou-2020-urban-basic');

interface Part {
  /** Centre and half sizes in the city's metric frame, and the angle of the u axis. */
  cx: number;
  cy: number;
  hw: number;
  hh: number;
  angle: number;
  gates: [number, number][];
}

interface DrawnCommunity {
  id: string;
  kind: 'compound' | 'gated' | 'parts' | 'point' | 'given';
  parts: Part[];
}

interface RandomCity {
  seed: number;
  graph: Graph;
  communities: Community[];
  drawn: Map<string, DrawnCommunity>;
  facilities: Facility[];
  minutes: number;
  metShare: number;
}

function randomCity(seed: number): RandomCity {
  const rand = mulberry32(seed);
  const generated = generateCity({ edges: 2500, pois: 600, communities: 1, origins: 1, seed });
  const graph = graphFromGeoJson({ type: 'FeatureCollection', features: [...generated.network()] });
  const [west, south, east, north] = graph.meta.bbox;
  const proj = new LocalProjection((south + north) / 2);
  const toLonLat = (x: number, y: number): [number, number] => [proj.lon(x), proj.lat(y)];
  const x0 = proj.x(west);
  const y0 = proj.y(south);
  const width = proj.x(east) - x0;
  const height = proj.y(north) - y0;
  const between = (a: number, b: number) => a + rand() * (b - a);
  // A point of a part, given in its own axes (u along `angle`, v across).
  const partPoint = (p: Part, u: number, v: number): [number, number] => [p.cx + u * Math.cos(p.angle) - v * Math.sin(p.angle), p.cy + u * Math.sin(p.angle) + v * Math.cos(p.angle)];
  const ring = (p: Part): Position[] => [[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]].map(([u, v]) => toLonLat(...partPoint(p, u * p.hw, v * p.hh)));
  const part = (cx: number, cy: number, maxHalf: number, gates: number): Part => {
    const p: Part = { cx, cy, hw: between(15, maxHalf), hh: between(15, maxHalf), angle: rand() * Math.PI, gates: [] };
    // Gates just inside the outline, on a random side each.
    for (let g = 0; g < gates; g++) {
      const side = Math.floor(rand() * 4);
      const along = between(-0.9, 0.9);
      const [u, v] = side === 0 ? [0.95, along] : side === 1 ? [-0.95, along] : side === 2 ? [along, 0.95] : [along, -0.95];
      p.gates.push(partPoint(p, u * p.hw, v * p.hh));
    }
    return p;
  };

  const communityFeatures: Feature[] = [];
  const homeFeatures: Feature[] = [];
  const drawn = new Map<string, DrawnCommunity>();
  for (let i = 0; i < 45; i++) {
    const id = `c${i}`;
    const cx = x0 + between(0.1, 0.9) * width;
    const cy = y0 + between(0.1, 0.9) * height;
    const properties: Record<string, unknown> = { id, type: 'urban' };
    if (rand() < 0.8) properties.population = Math.round(between(300, 6000));
    const r = rand();
    let c: DrawnCommunity;
    if (r < 0.3) c = { id, kind: 'compound', parts: [part(cx, cy, 300, 0)] };
    else if (r < 0.5) c = { id, kind: 'gated', parts: [part(cx, cy, 250, 1 + Math.floor(rand() * 3))] };
    else if (r < 0.75) {
      // Two or three parts 300 m to 2 km apart, each gated or not.
      const parts = [part(cx, cy, 120, rand() < 0.5 ? 1 + Math.floor(rand() * 2) : 0)];
      const count = rand() < 0.7 ? 2 : 3;
      while (parts.length < count) {
        const angle = rand() * 2 * Math.PI;
        const d = between(300, 2000);
        const px = Math.min(x0 + width * 0.95, Math.max(x0 + width * 0.05, cx + d * Math.cos(angle)));
        const py = Math.min(y0 + height * 0.95, Math.max(y0 + height * 0.05, cy + d * Math.sin(angle)));
        if (parts.some((q) => Math.hypot(q.cx - px, q.cy - py) < 300)) continue;
        parts.push(part(px, py, 120, rand() < 0.5 ? 1 + Math.floor(rand() * 2) : 0));
      }
      c = { id, kind: 'parts', parts };
    } else if (r < 0.87) {
      const p: Part = { cx, cy, hw: 0, hh: 0, angle: 0, gates: [] };
      if (rand() < 0.5) for (let g = 0; g < 1 + Math.floor(rand() * 2); g++) p.gates.push([cx + between(-80, 80), cy + between(-80, 80)]);
      c = { id, kind: 'point', parts: [p] };
    } else {
      const p = part(cx, cy, 200, 0);
      c = { id, kind: 'given', parts: [p] };
      const n = 3 + Math.floor(rand() * 25);
      for (let h = 0; h < n; h++) {
        const props: Record<string, unknown> = { id: `${id}-h${h}`, community: id };
        const w = rand();
        if (w < 0.6) props.population = Math.round(between(0, 300));
        else if (w < 0.8) props.households = Math.round(between(1, 100));
        homeFeatures.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: toLonLat(...partPoint(p, between(-0.95, 0.95) * p.hw, between(-0.95, 0.95) * p.hh)) } });
      }
      if (rand() < 0.5) properties.households = Math.round(between(100, 2000));
    }
    drawn.set(id, c);
    const gates = c.parts.flatMap((p) => p.gates.map(([x, y]) => toLonLat(x, y)));
    if (gates.length > 0) properties.entrances = gates;
    const geometry =
      c.kind === 'point'
        ? { type: 'Point', coordinates: toLonLat(cx, cy) }
        : c.kind === 'parts'
          ? { type: 'MultiPolygon', coordinates: c.parts.map((p) => [ring(p)]) }
          : { type: 'Polygon', coordinates: [ring(c.parts[0])] };
    communityFeatures.push({ type: 'Feature', properties, geometry } as Feature);
  }

  // The generated facilities; some parks, playgrounds and sports grounds as polygons around their
  // point, some facilities of two categories.
  const categories = [...new Set([...generated.facilities()].map((f) => f.properties.category))];
  const facilityFeatures: Feature[] = [...generated.facilities()].map((f) => {
    const properties: Record<string, unknown> = { ...f.properties };
    if (rand() < 0.1) properties.category = [f.properties.category, categories[Math.floor(rand() * categories.length)]];
    if (['park', 'playground', 'sports_ground'].includes(f.properties.category) && rand() < 0.6) {
      const [lon, lat] = f.geometry.coordinates;
      const p = part(proj.x(lon), proj.y(lat), 150, 0);
      return { type: 'Feature', properties, geometry: { type: 'Polygon', coordinates: [ring(p)] } } as Feature;
    }
    return { ...f, properties } as Feature;
  });
  // No public toilet in the data at all: its item is a data gap (no_facility) for every community.
  const withoutToilets = facilityFeatures.filter((f) => ![f.properties!.category].flat().includes('public_toilet'));

  const communitiesRead = readCommunities({ type: 'FeatureCollection', features: communityFeatures });
  expect(communitiesRead.errors, `seed ${seed}`).toEqual([]);
  const homesRead = readHomes({ type: 'FeatureCollection', features: homeFeatures }, communitiesRead.communities);
  expect(homesRead.errors, `seed ${seed}`).toEqual([]);
  // As a request with `homes` places them (src/runtime/requests/coverage.ts); the rest get their grid from the engine.
  for (const c of communitiesRead.communities) {
    const given = homesRead.byCommunity.get(c.index);
    if (given) c.homes = placeHomes(c, { given });
  }
  const facilitiesRead = readFacilities({ type: 'FeatureCollection', features: withoutToilets });
  expect(facilitiesRead.errors, `seed ${seed}`).toEqual([]);
  return {
    seed,
    graph,
    communities: communitiesRead.communities,
    drawn,
    facilities: facilitiesRead.facilities,
    minutes: [10, 15, 12][seed % 3],
    metShare: [0.8, 0.5, 0.3][seed % 3],
  };
}

/** The part a home lies in, by the generator's own shapes (x, y: metres east and north in the city's frame). */
function partOfHome(c: DrawnCommunity, x: number, y: number): number {
  if (c.parts.length === 1) return 0;
  const inside = c.parts.map((p) => {
    const dx = x - p.cx;
    const dy = y - p.cy;
    const u = dx * Math.cos(p.angle) + dy * Math.sin(p.angle);
    const v = -dx * Math.sin(p.angle) + dy * Math.cos(p.angle);
    return Math.abs(u) <= p.hw + 1 && Math.abs(v) <= p.hh + 1;
  });
  expect(inside.filter(Boolean), `${c.id}: a home in exactly one part`).toHaveLength(1);
  return inside.indexOf(true);
}

/**
 * Per facility point: where it snaps (and its ties), for every facility's every entrance (outline
 * points for polygons); per item, the points of its categories.
 */
interface FacilityPoints {
  placements: Placement[];
  /** Per item of the standard: indices into placements (empty for programmes). */
  ofItem: number[][];
  /** Per item: some point of its categories snaps. */
  present: boolean[];
  /** Per item: some point of its categories is within a metre of maxSnapM (a tie on being placed). */
  nearLimit: boolean[];
}

function facilityPoints(brute: BruteForceNetwork, facilities: readonly Facility[], items: Standard['items']): FacilityPoints {
  const placements: Placement[] = [];
  const categoriesOf: string[][] = [];
  for (const f of facilities) {
    for (const [lon, lat] of f.entrances ?? [[f.lon, f.lat]]) {
      const p = brute.place(lon, lat);
      if (!p) continue;
      placements.push(p);
      categoriesOf.push(f.categories);
    }
  }
  const ofItem = items.map((item) => (item.kind !== 'place' ? [] : placements.flatMap((_, k) => (categoriesOf[k].some((c) => item.categories!.includes(c)) ? [k] : []))));
  return {
    placements,
    ofItem,
    present: ofItem.map((ks) => ks.some((k) => !placements[k].nearLimit)),
    nearLimit: ofItem.map((ks) => ks.some((k) => placements[k].nearLimit)),
  };
}

/**
 * From one origin spot set (a road the home snaps to, or a gate's): per item, the least and the
 * greatest time the engine may find from it (each facility point's snapping ties taken both ways).
 */
function itemTimesFrom(brute: BruteForceNetwork, origin: Placement, points: FacilityPoints, limitS: number): { lo: Float64Array; hi: Float64Array } {
  const n = points.ofItem.length;
  const lo = new Float64Array(n).fill(Infinity);
  const hi = new Float64Array(n).fill(Infinity);
  const pointLo = new Float64Array(points.placements.length).fill(Infinity);
  const pointHi = new Float64Array(points.placements.length).fill(0);
  for (const spot of origin.spots) {
    const dist = brute.search(spot, 0, limitS);
    points.placements.forEach((p, k) => {
      for (const target of p.spots) {
        const t = brute.timeTo(dist, spot, 0, target);
        pointLo[k] = Math.min(pointLo[k], t);
        pointHi[k] = Math.max(pointHi[k], t);
      }
    });
  }
  for (let i = 0; i < n; i++) {
    for (const k of points.ofItem[i]) {
      lo[i] = Math.min(lo[i], pointLo[k]);
      hi[i] = Math.min(hi[i], pointHi[k]);
    }
  }
  return { lo, hi };
}

interface Tally {
  compared: number;
  met: number;
  unmet: number;
  partial: number;
  noFacility: number;
  /** Cases with a home within TIE_S of the budget (compared as ranges). */
  atBudget: number;
  /** Cases skipped: such a home could change the status (or a point is placed or not by a metre). */
  ties: number;
  homes: number;
  unplacedHomes: number;
}

/**
 * Every community × place item of `reports` (one per engine) against the brute force. `homesFor`
 * gives each home's weight and origins: where it joins the network (null: not placed) and the metres
 * walked straight to that point first.
 */
function compareWithBruteForce(
  city: RandomCity,
  reports: Record<string, CoverageReport>,
  homesFor: (c: Community) => { weight: number; origins: { placement: Placement | null; walkM: number }[] }[],
): Tally {
  const { seed, graph, communities, facilities, minutes, metShare } = city;
  const costing = costingFor(graph, { mode: 'walk' });
  expect(costing.accessSpeedMps).toBeCloseTo(WALK_MPS, 12);
  const brute = new BruteForceNetwork(graph, costing, MAX_SNAP_M);
  const budgetS = minutes * 60;
  const limitS = budgetS + 5;
  const points = facilityPoints(brute, facilities, standard.items);
  const tally: Tally = { compared: 0, met: 0, unmet: 0, partial: 0, noFacility: 0, atBudget: 0, ties: 0, homes: 0, unplacedHomes: 0 };
  // Searches from one placement (a gate's, shared by its part's homes) are made once.
  const fromPlacement = new Map<Placement, { lo: Float64Array; hi: Float64Array }>();
  const timesFrom = (p: Placement) => {
    let t = fromPlacement.get(p);
    if (!t) fromPlacement.set(p, (t = itemTimesFrom(brute, p, points, limitS)));
    return t;
  };
  communities.forEach((community, ci) => {
    const homes = homesFor(community);
    const where = `seed ${seed}, community ${community.id} (${city.drawn.get(community.id)?.kind})`;
    const placedHomes = homes.filter((h) => h.origins.some((o) => o.placement !== null)).length;
    const uncertain = homes.some((h) => h.origins.some((o) => o.placement?.nearLimit));
    tally.homes += homes.length;
    tally.unplacedHomes += homes.length - placedHomes;
    for (const [engine, report] of Object.entries(reports)) {
      const r = report.communities[ci];
      expect(r.id, where).toBe(community.id);
      expect(r.homes.count, `${where}, ${engine}`).toBe(homes.length);
      if (!uncertain) expect(r.homes.placed, `${where}, ${engine}`).toBe(placedHomes);
    }
    if (uncertain) {
      tally.ties += standard.items.filter((i) => i.kind === 'place').length;
      return;
    }
    if (placedHomes === 0) {
      for (const report of Object.values(reports)) {
        expect(report.communities[ci].error, where).toMatch(/no home of community/);
        expect(report.communities[ci].standards, where).toEqual([]);
      }
      return;
    }
    // Per home and item, the time range over its origins (each plus the walk to it).
    const weights = homes.map((h) => h.weight);
    const perHome = homes.map((h) => {
      const lo = new Float64Array(standard.items.length).fill(Infinity);
      const hi = new Float64Array(standard.items.length).fill(Infinity);
      for (const { placement, walkM } of h.origins) {
        if (!placement) continue;
        const t = timesFrom(placement);
        for (let i = 0; i < lo.length; i++) {
          lo[i] = Math.min(lo[i], walkM / WALK_MPS + t.lo[i]);
          hi[i] = Math.min(hi[i], walkM / WALK_MPS + t.hi[i]);
        }
      }
      return { lo, hi };
    });
    standard.items.forEach((item, i) => {
      if (item.kind !== 'place') return;
      const itemWhere = `${where}, item ${item.id}`;
      if (points.nearLimit[i]) {
        tally.ties++;
        return;
      }
      if (!points.present[i]) {
        for (const [engine, report] of Object.entries(reports)) {
          expect(report.communities[ci].standards[0].items[i], `${itemWhere}, ${engine}`).toMatchObject({ itemId: item.id, status: 'no_facility', homes: homes.length });
        }
        tally.noFacility++;
        tally.compared++;
        return;
      }
      const expected = expectedVerdict(
        perHome.map((h) => h.lo[i]),
        perHome.map((h) => h.hi[i]),
        weights,
        budgetS,
        metShare,
      );
      if (expected.atBudget > 0) tally.atBudget++;
      if (!expected.status) {
        tally.ties++;
        return;
      }
      for (const [engine, report] of Object.entries(reports)) {
        const got: ItemResult = report.communities[ci].standards[0].items[i];
        const range = ([a, b]: [number, number], scale = 1 / 60, digits = 3) => `${(a * scale).toFixed(digits)}..${(b * scale).toFixed(digits)}`;
        const at = `${itemWhere}, ${engine} (brute force: share ${range(expected.residentsShare, 1, 4)}, median ${range(expected.median)}, worst ${range(expected.worst)}, ${expected.atBudget} homes at the budget)`;
        expect(got.itemId, at).toBe(item.id);
        expect(got.status, at).toBe(expected.status);
        expect(got.homes, at).toBe(homes.length);
        // Reported to 4 decimals.
        expect(got.residentsShare!, at).toBeGreaterThanOrEqual(expected.residentsShare[0] - 0.5e-4 - 1e-9);
        expect(got.residentsShare!, at).toBeLessThanOrEqual(expected.residentsShare[1] + 0.5e-4 + 1e-9);
        expectMinutesWithin(got.medianMinutes, expected.median, at);
        expectMinutesWithin(got.worstMinutes, expected.worst, at);
        expectMinutesWithin(got.nearest ? got.nearest.minutes : null, expected.best, `${at}, nearest`);
      }
      tally.compared++;
      if (expected.status === 'met') tally.met++;
      else tally.unmet++;
      if (expected.residentsShare[1] > 0 && expected.residentsShare[0] < 1) tally.partial++;
    });
  });
  return tally;
}

/**
 * Reported minutes (rounded to 0.01; null beyond the budget) within the brute force's bounds in
 * seconds (Infinity: null).
 */
function expectMinutesWithin(got: number | null | undefined, [lo, hi]: [number, number], at: string): void {
  if (lo === Infinity) {
    expect(got ?? null, at).toBeNull();
    return;
  }
  if (hi === Infinity && (got ?? null) === null) return;
  expect(got, at).not.toBeNull();
  expect(got!, at).toBeGreaterThanOrEqual(lo / 60 - 0.0051);
  if (hi < Infinity) expect(got!, at).toBeLessThanOrEqual(hi / 60 + 0.0051);
}

const SEEDS = [101, 102, 103];
const cities = new Map<number, RandomCity>();
const cityOf = (seed: number) => {
  if (!cities.has(seed)) cities.set(seed, randomCity(seed));
  return cities.get(seed)!;
};

describe.each(SEEDS)('random city, seed %i: homes against a per-home brute force', (seed) => {
  it('every community × place item: status, share of residents, median, worst, nearest', () => {
    const city = cityOf(seed);
    const { graph, communities, facilities, minutes, metShare } = city;
    const opts = { maxSnapM: MAX_SNAP_M, minutes, metShare };
    let started = performance.now();
    const reports = {
      'city-wide': computeCityCoverageSync(graph, communities, facilities, [standard], opts),
      'per-home': computeCoverage(graph, communities, facilities, [standard], opts),
    };
    const engineMs = performance.now() - started;
    started = performance.now();
    const costing = costingFor(graph, { mode: 'walk' });
    const brute = new BruteForceNetwork(graph, costing, MAX_SNAP_M);
    const proj = new LocalProjection((graph.meta.bbox[1] + graph.meta.bbox[3]) / 2);
    // Gates snapped once per community (a home walks to every gate of its own part).
    const gatesOf = new Map<string, { at: [number, number]; placement: Placement | null }[][]>();
    const tally = compareWithBruteForce(city, reports, (community) => {
      const drawn = city.drawn.get(community.id)!;
      let gates = gatesOf.get(community.id);
      if (!gates) {
        gates = drawn.parts.map((p) => p.gates.map(([x, y]) => ({ at: [proj.lon(x), proj.lat(y)] as [number, number], placement: brute.place(proj.lon(x), proj.lat(y)) })));
        gatesOf.set(community.id, gates);
      }
      return homesOf(community).homes.map((home) => {
        const own = gates[partOfHome(drawn, proj.x(home.lon), proj.y(home.lat))];
        if (own.length === 0) return { weight: home.weight, origins: [{ placement: brute.place(home.lon, home.lat), walkM: 0 }] };
        // Gates of its own part only; none placed: the home is not placed.
        return { weight: home.weight, origins: own.map((g) => ({ placement: g.placement, walkM: haversineM(home.lon, home.lat, g.at[0], g.at[1]) })) };
      });
    });
    console.log(`seed ${seed} (${minutes} min, metShare ${metShare}): ${JSON.stringify(tally)}; engines ${Math.round(engineMs)} ms, brute force ${Math.round(performance.now() - started)} ms`);
    expect(tally.compared, `seed ${seed}: cases compared`).toBeGreaterThanOrEqual(400);
    expect(tally.met, `seed ${seed}: met`).toBeGreaterThan(20);
    expect(tally.unmet, `seed ${seed}: unmet`).toBeGreaterThan(20);
    expect(tally.partial, `seed ${seed}: neither none nor all residents`).toBeGreaterThan(10);
    expect(tally.noFacility, `seed ${seed}: items without data`).toBeGreaterThan(0);
    expect(tally.ties, `seed ${seed}: ties skipped`).toBeLessThan(tally.compared / 20);
  }, 120_000);
});

describe('origin "representative": the one-point rule', () => {
  it('against a brute force from each community\'s representative points, pooled as one home', () => {
    const city = cityOf(SEEDS[0]);
    const { graph, communities, facilities, minutes, metShare } = city;
    const opts = { maxSnapM: MAX_SNAP_M, minutes, metShare, origin: 'representative' as const };
    const reports = {
      'city-wide': computeCityCoverageSync(graph, communities, facilities, [standard], opts),
      'per-home': computeCoverage(graph, communities, facilities, [standard], opts),
    };
    for (const r of reports['city-wide'].communities) expect(r.homes).toMatchObject({ rule: 'representative', count: 1 });
    const brute = new BruteForceNetwork(graph, costingFor(graph, { mode: 'walk' }), MAX_SNAP_M);
    const tally = compareWithBruteForce(city, reports, (community) => {
      // One home, setting out from every origin at once (the gates, or one point per part), no walk
      // to them; it carries the community's population.
      const weight = community.population !== undefined && community.population > 0 ? community.population : 1;
      return [{ weight, origins: community.origins.map(([lon, lat]) => ({ placement: brute.place(lon, lat), walkM: 0 })) }];
    });
    console.log(`representative, seed ${SEEDS[0]}: ${JSON.stringify(tally)}`);
    expect(tally.compared).toBeGreaterThanOrEqual(400);
    expect(tally.partial, 'one home: all or nothing').toBe(0);
    expect(tally.met).toBeGreaterThan(20);
    expect(tally.unmet).toBeGreaterThan(20);
  }, 120_000);
});
