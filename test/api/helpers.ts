import { readFileSync } from 'node:fs';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { fileURLToPath } from 'node:url';
import { type BuildAppOptions, buildApp } from '../../src/app.ts';
import { graphFromOsm } from '../../src/io/load-network.ts';
import type { Graph } from '../../src/network/graph.ts';
import { asciiMap } from '../helpers/ascii-map.ts';

export const SAMPLE = fileURLToPath(new URL('../../data/sample/', import.meta.url));

/** Sample points of data/sample (real Chengdu places, see SOURCE.md there). */
export function samplePoints(name: 'origins' | 'targets'): FeatureCollection<Point> {
  return JSON.parse(readFileSync(`${SAMPLE}${name}.geojson`, 'utf8'));
}

/** The Chengdu sample network, built from the .osm.pbf (about 0.3 s). */
export function chengduGraph(): Promise<Graph> {
  return graphFromOsm(`${SAMPLE}chengdu.osm.pbf`);
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

/** An app with no worker threads started unless a request needs one. */
export function testApp(opts: BuildAppOptions = {}) {
  return buildApp({ ...opts, workerPool: { minThreads: 0, ...opts.workerPool } });
}

/** A far-away point (no road within the default 500 m) and one without usable coordinates. */
export function badOrigins() {
  return {
    offNetwork: town.point('far', [town.at('c')[0] + 0.05, town.at('c')[1]]),
    noCoordinates: { type: 'Feature', properties: { id: 'nan' }, geometry: { type: 'Point', coordinates: [null, null] } } as unknown as Feature<Point>,
  };
}
