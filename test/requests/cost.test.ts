import type { Feature, Point } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderAnswer } from '../../src/edge/api/formats.ts';
import { OPERATIONS } from '../../src/edge/api/operations.ts';
import { InputError } from '../../src/core/errors.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import { type CostedOperation, type NetworkSize, admit, estimateCost, inlineNetworkSize, networkSizeOf } from '../../src/runtime/requests/cost.ts';
import { graphFromOsm } from '../../src/core/io/build-network.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

const SAMPLE_PBF = new URL('../../data/sample/chengdu.osm.pbf', import.meta.url).pathname;

/*
 * The estimate against hand-computed cases on a made-up network, then against the real answers on
 * the Chengdu sample (the size of an answer must never be underestimated there: it is what refuses
 * requests up front).
 *
 * The made-up network: 100 edges, 200 segments, 10 km of road in a square of 0.01° at the equator,
 * 1113.2 m a side (111,320 m per degree), 1,239,214 m².
 */
const square: NetworkSize = { edges: 100, segments: 200, lengthM: 10_000, bbox: [0, 0, 0.01, 0.01] };
const SIDE_M = 0.01 * 111_320 * Math.cos((0.005 * Math.PI) / 180);
const AREA_M2 = SIDE_M * SIDE_M;

const point = (id: string, lon = 0.005, lat = 0.005): Feature<Point> => ({ type: 'Feature', properties: { id }, geometry: { type: 'Point', coordinates: [lon, lat] } });
const points = (n: number, prefix = 'p') => ({ type: 'FeatureCollection', features: Array.from({ length: n }, (_, i) => point(`${prefix}${i}`)) });

describe('estimateCost, by hand', () => {
  // Walking 4.5 km/h = 1.25 m/s: 5 minutes reach 375 m, a disk of π·375² m², twice the mean density.
  const edges5 = (100 / AREA_M2) * Math.PI * 375 ** 2 * 2;

  it('counts the edges within reach by the mean density (×2), and the lines listed per budget', () => {
    expect(edges5).toBeCloseTo(71.3, 1);
    const estimate = estimateCost('isochrones', { origins: points(1, 'a'), minutes: [5], output: 'lines' }, square);
    // id "a0": 2 characters, counted as 6 bytes of UTF-8 at most; a feature is 400 bytes, a line part 80.
    const feature = 400 + 6;
    const bytes = 4000 + feature + feature + 2 * edges5 * 80;
    expect(estimate.answerBytes).toBeCloseTo(bytes, 3);
    // Search 0.5 µs an edge, expansion and one budget's lines 0.6 µs a segment each, a snap 5 µs, rendering 0.01 µs a byte.
    expect(estimate.workUs).toBeCloseTo(edges5 * 0.5 + 2 * edges5 * 0.6 * 2 + 5 + bytes * 0.01, 3);
  });

  it('counts polygon vertices by the boundary (circle plus reached road) over the cell size', () => {
    const estimate = estimateCost('isochrones', { origins: points(1, 'a'), minutes: [5] }, square);
    const boundaryM = 2 * Math.PI * 375 + edges5 * 100;
    const feature = 406;
    expect(estimate.answerBytes).toBeCloseTo(4000 + 2 * feature + (boundaryM / 10) * 40, 3);
    // Grid: (2·375 + 2·100)² m² in 10 m cells, filled once and contoured once.
    const cells = 950 ** 2 / 100;
    expect(estimate.workUs).toBeCloseTo(edges5 * 0.5 + 2 * edges5 * 0.6 + cells * 2 * 0.15 + 5 + estimate.answerBytes * 0.01, 3);
  });

  it('never counts more than the whole network', () => {
    const whole = estimateCost('isochrones', { origins: points(1, 'a'), minutes: [180], output: 'lines' }, square);
    expect(whole.answerBytes).toBeCloseTo(4000 + 2 * 406 + 200 * 80, 6);
    // Cars are counted at 120 km/h at least (tagged maxspeeds): 1 minute reaches 2 km, the whole square too.
    expect(estimateCost('isochrones', { origins: points(1, 'a'), minutes: [1], output: 'lines', mode: 'car' }, square).answerBytes).toBeCloseTo(whole.answerBytes, 6);
  });

  it('lists travel-time pairs: every target of an extent no larger than one reach', () => {
    const estimate = estimateCost('travel-times', { origins: points(2, 'o'), targets: points(3, 't'), maxMinutes: 10 }, square);
    // 2 origins × 3 targets; an origin entry 200 bytes, a pair 45 + its id ("t0": 6 bytes).
    expect(estimate.answerBytes).toBe(4000 + 2 * 200 + 6 * (45 + 6));
  });

  it('counts coverage by communities × the items of their standards', () => {
    const estimate = estimateCost('coverage', { communities: points(10, 'c'), standards: ['guangzhou-2020-urban-basic'] }, square);
    // 34 items; a community 1000 bytes, an item 400, the summary one more set of items.
    expect(estimate.answerBytes).toBe(4000 + 10 * (1000 + 34 * 400) + 34 * 400);
  });

  it('costs a community by the standards of its own type only', () => {
    // A 1M-edge city of 120,000 km of road over ~100 km × 80 km (the benchmark city's figures).
    const city: NetworkSize = { edges: 1_000_000, segments: 2_000_000, lengthM: 118_610_966, bbox: [112.82, 22.76, 113.78, 23.48] };
    const typed = (type: string) => ({ communities: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'c', type }, geometry: { type: 'Point', coordinates: [113.3, 23.1] } }] } });
    const urban = estimateCost('coverage', typed('urban'), city);
    const rural = estimateCost('coverage', typed('村'), city);
    const urbanOnly = estimateCost('coverage', { ...typed('urban'), standards: ['guangzhou-2020-urban-basic', 'guangzhou-2020-urban-quality'] }, city);
    // The rural circles' 30-minute travel is never searched for an urban community: the default
    // standards cost it only their summary rows (the rural items listed, 0.01 µs a byte)…
    expect(urban.workUs - urbanOnly.workUs).toBeLessThan(500);
    expect(rural.workUs).toBeGreaterThan(urban.workUs);
    // …so the everyday request (one urban community, every standard) stays on the event loop.
    expect(urban.workUs).toBeLessThan(5_000);
    // A missing type is urban, as the reader assesses it.
    expect(estimateCost('coverage', typed(''), city).workUs).toBeCloseTo(urban.workUs, 6);
  });

  it('leaves requests over the documented limits to the operation, which refuses them before any search', () => {
    expect(estimateCost('isochrones', { origins: points(501), minutes: [180] }, square).workUs).toBe(0);
    expect(estimateCost('isochrones', { origins: points(1), minutes: Array.from({ length: 13 }, (_, i) => i + 1) }, square).workUs).toBe(0);
    expect(estimateCost('travel-times', { origins: points(1), targets: points(1), maxMinutes: 181 }, square).workUs).toBe(0);
  });

  it('costs nothing without a network (the operation answers that there is none)', () => {
    expect(estimateCost('isochrones', { origins: points(3), minutes: [15] }, undefined).workUs).toBeLessThan(100);
  });

  it('counts compiling an inline network and reading a stored one', () => {
    const body = { origins: points(1), minutes: [2], output: 'lines' };
    const base = estimateCost('isochrones', body, square).workUs;
    // 2 µs a coordinate compiled, 0.2 µs an edge read from a graph file.
    expect(estimateCost('isochrones', body, { ...square, inlineCoordinates: 1000 }).workUs).toBeCloseTo(base + 2000, 6);
    expect(estimateCost('isochrones', body, { ...square, graphFileEdges: 1_000_000 }).workUs).toBeCloseTo(base + 200_000, 6);
  });

  it('grows with origins, budgets and minutes', () => {
    const cost = (body: Record<string, unknown>) => estimateCost('isochrones', body, square);
    const base = cost({ origins: points(2), minutes: [2] });
    for (const more of [cost({ origins: points(3), minutes: [2] }), cost({ origins: points(2), minutes: [2, 3] }), cost({ origins: points(2), minutes: [3] })]) {
      expect(more.workUs).toBeGreaterThan(base.workUs);
      expect(more.answerBytes).toBeGreaterThan(base.answerBytes);
    }
  });
});

describe('inlineNetworkSize', () => {
  it('counts segments, coordinates, length and extent of LineStrings and MultiLineStrings', () => {
    const size = inlineNetworkSize({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[0, 0], [0.001, 0]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [0, 0.001], [0.001, 0.001]]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [5, 5] } },
        null,
      ],
    });
    expect(size).toMatchObject({ edges: 3, segments: 3, inlineCoordinates: 5, bbox: [0, 0, 0.001, 0.001] });
    expect(size.lengthM).toBeCloseTo(3 * 111.32, 1);
  });

  it('reads anything else as an empty network', () => {
    expect(inlineNetworkSize('nonsense')).toEqual({ edges: 0, segments: 0, lengthM: 0, bbox: null, inlineCoordinates: 0 });
  });
});

describe('on the Chengdu sample', () => {
  let graph: Graph;
  let ctx: { defaultGraph: Graph; defaultFacilities: ReturnType<typeof readFacilities>['facilities'] };
  beforeAll(async () => {
    graph = await graphFromOsm(fileBytes(SAMPLE_PBF));
    ctx = { defaultGraph: graph, defaultFacilities: readFacilities((await readOsmPois(fileBytes(SAMPLE_PBF))).facilities).facilities };
  });
  const [w, s, e, n] = [103.99, 30.63, 104.14, 30.75];
  // Seeded, spread over the middle of the sample.
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const spread = (k: number, prefix: string) => ({ type: 'FeatureCollection', features: Array.from({ length: k }, (_, i) => point(`${prefix}${i}`, w + (0.3 + 0.4 * random()) * (e - w), s + (0.3 + 0.4 * random()) * (n - s))) });

  it('refuses the 54 KB body of 500 origins × 12 budgets up to 180 minutes, saying what to reduce', () => {
    const body = { origins: spread(500, 'o'), minutes: [15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180] };
    expect(JSON.stringify(body).length).toBeLessThan(64 * 1024);
    let error: unknown;
    try {
      admit('isochrones', body, networkSizeOf(graph), 64 * 1024 * 1024);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('LIMIT_EXCEEDED');
    expect((error as InputError).message).toMatch(/^the answer would be about [\d,]+ MB, over the limit of 64 MB \(MAX_ANSWER_MB\): send fewer origins \(500\) or budgets \(12\), smaller budgets \(up to 180 minutes\), or ask for `output: "lines"`/);
    // One origin's 15-minute walk is admitted.
    expect(admit('isochrones', { origins: spread(1, 'o'), minutes: [15] }, networkSizeOf(graph), 64 * 1024 * 1024).answerBytes).toBeLessThan(2 * 1024 * 1024);
  });

  const cases: [CostedOperation, Record<string, unknown>][] = [
    ...['walk', 'bike', 'car'].flatMap((mode) =>
      ['polygons', 'lines'].flatMap((output) => [[5], [15], [5, 10, 15], [60]].map((minutes): [CostedOperation, Record<string, unknown>] => ['isochrones', { origins: spread(output === 'lines' ? 2 : 1, 'o'), minutes, output, mode }])),
    ),
    ['travel-times', { origins: spread(50, 'o'), targets: spread(200, 't'), maxMinutes: 15 }],
    ['travel-times', { origins: spread(20, 'o'), targets: spread(100, 't'), maxMinutes: 30, mode: 'car' }],
    ['route', { origins: spread(3, 'o'), targets: spread(5, 't'), maxMinutes: 60 }],
    ['coverage', { communities: spread(10, 'c') }],
  ];

  it(`never underestimates the answer's size (${cases.length} requests)`, async () => {
    let compared = 0;
    for (const [operation, body] of cases) {
      const estimate = estimateCost(operation, body, networkSizeOf(graph));
      const text = renderAnswer(await OPERATIONS[operation](body, ctx, 'json')).body as string;
      expect(Buffer.byteLength(text), `${operation} ${JSON.stringify({ ...body, origins: undefined, targets: undefined, communities: undefined })}`).toBeLessThanOrEqual(estimate.answerBytes);
      compared++;
    }
    expect(compared).toBe(cases.length);
  });
});
