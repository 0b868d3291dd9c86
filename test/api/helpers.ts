import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/edge/api/errors.ts';
import { type BuildAppOptions, buildApp } from '../../src/edge/app.ts';
import { graphFromOsm } from '../../src/core/io/build-network.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

export const SAMPLE = fileURLToPath(new URL('../../data/sample/', import.meta.url));

/** Sample points of data/sample (real Chengdu places, see SOURCE.md there). */
export function samplePoints(name: 'origins' | 'targets'): FeatureCollection<Point> {
  return JSON.parse(readFileSync(`${SAMPLE}${name}.geojson`, 'utf8'));
}

/** The Chengdu sample network, built from the .osm.pbf (about 0.3 s). */
export function chengduGraph(): Promise<Graph> {
  return graphFromOsm(fileBytes(`${SAMPLE}chengdu.osm.pbf`));
}

/**
 * 50 m per character, 100 m between letters; walking 4.5 km/h = 75 m a minute, so a→b takes 4/3 min, a→c 8/3 min.
 * `e` is reached from `a` in 8/3 min (a-b-e or a-d-e).
 */
export const town = asciiMap(
  `
a-b-c
| | |
d-e-f
`,
  50,
);

export const townNetwork: FeatureCollection<LineString> = town.network;

export function fc<T extends Feature>(...features: T[]): FeatureCollection {
  return { type: 'FeatureCollection', features };
}

/**
 * An app with no worker threads started unless a request needs one, and no load shedding: on a busy
 * machine (CI beside other work) an event loop delayed by the machine, not by the app, would answer
 * 503 SERVER_BUSY to tests that are not about it. The tests of load shedding pass their own thresholds.
 */
export function testApp(opts: BuildAppOptions = {}) {
  return buildApp({
    ...opts,
    workerPool: { minThreads: 0, ...opts.workerPool },
    protection: { underPressure: false, ...opts.protection },
  });
}

/** A far-away point (no road within the default 500 m) and one without usable coordinates. */
export function badOrigins() {
  return {
    offNetwork: town.point('far', [town.at('c')[0] + 0.05, town.at('c')[1]]),
    noCoordinates: { type: 'Feature', properties: { id: 'nan' }, geometry: { type: 'Point', coordinates: [null, null] } } as unknown as Feature<Point>,
  };
}

/**
 * The problem document of an error answer, after checking what every one must be: RFC 9457 as
 * `application/problem+json`, `type` the code's URN, `title` and `status` the catalogue's (and the
 * answer's status), `instance` naming the request. Returns what varies: code, detail and where the
 * problem is, so that tests compare those (and a worker's answer with the main thread's).
 */
export function problemIn(res: { statusCode: number; headers: Record<string, unknown>; json(): any }): { code: string; detail: string; where?: string; featureIndex?: number; featureId?: string | number; errors?: any[] } {
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const { type, title, status, instance, ...rest } = res.json();
  const entry = ERROR_CATALOGUE[rest.code as keyof typeof ERROR_CATALOGUE];
  expect(entry, `code ${rest.code} is in the catalogue`).toBeDefined();
  expect({ type, title, status }).toEqual({ type: `urn:lifecircle:error:${rest.code}`, title: entry.title, status: res.statusCode });
  expect(entry.status).toBe(res.statusCode);
  expect(instance).toMatch(/^urn:lifecircle:request:req-\w+$/);
  expect(Object.keys(rest).every((k) => ['code', 'detail', 'where', 'featureIndex', 'featureId', 'errors'].includes(k)), `no other members: ${Object.keys(rest)}`).toBe(true);
  // Only NO_USABLE_INPUT lists the features one by one.
  expect(rest.errors === undefined || rest.code === 'NO_USABLE_INPUT').toBe(true);
  return rest;
}
