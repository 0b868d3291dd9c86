import { length as turfLength, distance as turfDistance } from '@turf/turf';
import type { Feature, LineString } from 'geojson';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../src/core/geo/distance.ts';
import { readGraphFile, writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { GRAPH_FILE_VERSION } from '../../src/core/io/graph-format.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { type Mode, interpretWay, MODES } from '../../src/core/network/profiles.ts';
import { costingFor, edgeCost } from '../../src/core/routing/costing.ts';
import { mulberry32, randomNetwork } from '../helpers/random-network.ts';

const line = (coords: number[][], properties: Record<string, unknown> = {}): Feature<LineString> => ({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates: coords } });
const fc = (...features: Feature<LineString>[]) => ({ type: 'FeatureCollection', features });

describe('great-circle lengths', () => {
  it('haversine matches turf distance to a millimetre over 1,000 random pairs', () => {
    const rand = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const a = [100 + rand() * 30, 15 + rand() * 30];
      const b = [a[0] + (rand() - 0.5) * 0.2, a[1] + (rand() - 0.5) * 0.2];
      expect(haversineM(a[0], a[1], b[0], b[1])).toBeCloseTo(turfDistance(a, b, { units: 'meters' }), 3);
    }
  });

  it('edge lengths add up to turf length of the lines, shape points included', () => {
    const bent = line([[113.26, 23.13], [113.261, 23.1305], [113.262, 23.13], [113.263, 23.131]]);
    const graph = graphFromGeoJson(fc(bent));
    expect(graph.edgeCount).toBe(1); // degree-2 vertices stay in the geometry
    expect(graph.edgeLength[0]).toBeCloseTo(turfLength(bent, { units: 'meters' }), 6);
  });

  it('uses length_m when given, split over the pieces in proportion to their geometry', () => {
    // A crossing street splits the first line in the middle: each half gets 500 of its 1000 m.
    const graph = graphFromGeoJson(fc(line([[113.26, 23.13], [113.261, 23.13], [113.262, 23.13]], { length_m: 1000 }), line([[113.261, 23.129], [113.261, 23.13], [113.261, 23.131]])));
    const given = [...graph.edgeLength].filter((l) => Math.abs(l - 500) < 1);
    expect(given.length).toBe(2);
  });
});

describe('travel-mode profiles', () => {
  const bits = (tags: Record<string, string>, mode: Mode) => {
    const w = interpretWay(tags);
    if ('dropped' in w) return 'dropped';
    const m = MODES.indexOf(mode);
    return ['none', 'along', 'against', 'both'][w.access[m]];
  };

  it('walking ignores vehicle one-ways but obeys oneway:foot', () => {
    expect(bits({ highway: 'residential', oneway: 'yes' }, 'walk')).toBe('both');
    expect(bits({ highway: 'residential', oneway: 'yes' }, 'car')).toBe('along');
    expect(bits({ highway: 'footway', 'oneway:foot': 'yes' }, 'walk')).toBe('along');
    expect(bits({ highway: 'residential', oneway: '-1' }, 'bike')).toBe('against');
    expect(bits({ highway: 'residential', oneway: 'yes', 'oneway:bicycle': 'no' }, 'bike')).toBe('both');
    expect(bits({ highway: 'primary', junction: 'roundabout' }, 'car')).toBe('along');
  });

  it('keeps walkers off motorways, foot=no and private ways (unless foot=yes)', () => {
    expect(bits({ highway: 'motorway' }, 'walk')).toBe('none');
    expect(bits({ highway: 'residential', foot: 'no' }, 'walk')).toBe('none');
    expect(bits({ highway: 'service', access: 'private' }, 'walk')).toBe('dropped'); // no mode may use it
    expect(bits({ highway: 'service', access: 'private', motor_vehicle: 'yes' }, 'walk')).toBe('none');
    expect(bits({ highway: 'service', access: 'private', foot: 'yes' }, 'walk')).toBe('both');
    expect(bits({ highway: 'trunk', motorroad: 'yes' }, 'walk')).toBe('none');
    expect(bits({ highway: 'footway' }, 'car')).toBe('none');
    expect(bits({ highway: 'construction' }, 'walk')).toBe('dropped');
  });

  it('lets every mode use an untagged centre line at its default speed', () => {
    const graph = graphFromGeoJson(fc(line([[113.26, 23.13], [113.27, 23.13]], { name: 'planned street', width: 12 })));
    const expected: Record<Mode, number> = { walk: 4.5, bike: 15, ebike: 20, car: 30 };
    for (const mode of MODES) {
      const costing = costingFor(graph, { mode });
      expect(edgeCost(costing, 0, 0)).toBeCloseTo(graph.edgeLength[0] / (expected[mode] / 3.6), 6);
      expect(edgeCost(costing, 0, 1)).toBeCloseTo(graph.edgeLength[0] / (expected[mode] / 3.6), 6);
    }
  });

  it('excludes ferries by default and includes them when asked', () => {
    const graph = graphFromGeoJson(fc(line([[113.26, 23.13], [113.27, 23.13]], { route: 'ferry' })));
    expect(edgeCost(costingFor(graph, { mode: 'walk' }), 0, 0)).toBe(Infinity);
    expect(edgeCost(costingFor(graph, { mode: 'walk', ferries: true }), 0, 0)).toBeLessThan(Infinity);
  });

  it('uses tagged maxspeed for cars and a uniform override when a speed is requested', () => {
    const graph = graphFromGeoJson(fc(line([[113.26, 23.13], [113.27, 23.13]], { highway: 'primary', maxspeed: '60' })));
    expect(edgeCost(costingFor(graph, { mode: 'car' }), 0, 0)).toBeCloseTo(graph.edgeLength[0] / (60 / 3.6), 6);
    expect(edgeCost(costingFor(graph, { mode: 'car', speedKmh: 25 }), 0, 0)).toBeCloseTo(graph.edgeLength[0] / (25 / 3.6), 6);
    expect(edgeCost(costingFor(graph, { mode: 'walk', speedKmh: 5 }), 0, 0)).toBeCloseTo(graph.edgeLength[0] / (5 / 3.6), 6);
  });
});

describe('import report', () => {
  it('counts dropped lines by reason, and drops small disconnected pieces', () => {
    const net = randomNetwork(3, 60).network;
    const island = line([[113.5, 23.5], [113.501, 23.5]]);
    const graph = graphFromGeoJson({ ...net, features: [...net.features, island, line([[113.2, 23.2], [113.21, 23.2]], { highway: 'proposed' })] }, { minComponentNodes: 5 });
    const report = graph.meta.report;
    expect(report.linesDropped['highway=proposed is not a usable road']).toBe(1);
    expect(report.components.dropped.components).toBeGreaterThanOrEqual(1);
    expect(report.components.largest.nodes).toBeGreaterThan(5);
    expect(report.nodes).toBe(graph.nodeCount);
    // The island is gone from the graph.
    expect([...graph.geom].some((v) => v === 113.501)).toBe(false);
  });

  it('rejects an empty or unusable network with a clear error', () => {
    expect(() => graphFromGeoJson(fc(line([[113.2, 23.2], [113.21, 23.2]], { highway: 'proposed' })))).toThrow(/no usable road in 1 line.*proposed/);
    expect(() => graphFromGeoJson({ type: 'Feature' })).toThrow(/expected a GeoJSON FeatureCollection/);
  });
});

describe('graph file', () => {
  const graph = graphFromGeoJson(randomNetwork(9, 80).network);
  const dir = mkdtempSync(join(tmpdir(), 'lcg-'));
  const path = join(dir, 'g.lcg');
  writeGraphFile(path, graph);

  it('round-trips every array and the index', () => {
    const loaded = readGraphFile(path);
    for (const key of ['nodeCoords', 'edgeFrom', 'edgeTo', 'edgeLength', 'edgeClass', 'edgeAccess', 'geom', 'arcOffsets', 'arcHead', 'arcEdge', 'arcTwin', 'edgeArc', 'segEdge'] as const) {
      expect(Array.from(loaded[key]), key).toEqual(Array.from(graph[key]));
    }
    expect(loaded.meta.report).toEqual(graph.meta.report);
    const [x, y] = [113.26 * 1e5, 23.13 * 1e5];
    expect(loaded.index.neighbors(x, y, 5)).toEqual(graph.index.neighbors(x, y, 5));
  });

  it('refuses another format version and a truncated file, saying why', () => {
    const bytes = readFileSync(path);
    const other = Buffer.from(bytes);
    other.writeUInt32LE(GRAPH_FILE_VERSION + 1, 8);
    writeFileSync(join(dir, 'v.lcg'), other);
    expect(() => readGraphFile(join(dir, 'v.lcg'))).toThrow(/version 3; this build reads version 2: re-run `import`/);
    writeFileSync(join(dir, 't.lcg'), bytes.subarray(0, bytes.length - 100));
    expect(() => readGraphFile(join(dir, 't.lcg'))).toThrow(/truncated/);
    writeFileSync(join(dir, 'x.lcg'), Buffer.from('hello world, not a graph'));
    expect(() => readGraphFile(join(dir, 'x.lcg'))).toThrow(/not a lifecircle graph file/);
  });
});
