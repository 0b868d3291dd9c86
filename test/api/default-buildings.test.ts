/**
 * The default OSM network's residential buildings: read in the pass that reads its facilities, kept
 * on the app for requests (RequestContext.defaultBuildings) and written beside the facilities' file
 * for the compute threads. Counted independently from the XML form of the same extract.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResidentialBuildings } from '../../src/core/communities/residential-buildings.ts';
import { dataFile } from '../io/shared-data.ts';
import { chengduGraph, testApp } from './helpers.ts';

const cacheDir = mkdtempSync(join(tmpdir(), 'lifecircle-default-buildings-'));
let app: FastifyInstance;

beforeAll(async () => {
  app = testApp({ defaultGraph: await chengduGraph(), defaultFacilitiesPath: dataFile('chengdu/chengdu.osm.pbf'), networkCacheDir: cacheDir });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Closed ways of the XML extract whose `building` is a residential value or yes, by regular expression. */
function countInXml(): number {
  const xml = readFileSync(dataFile('chengdu/chengdu.osm'), 'utf8');
  let count = 0;
  for (const [, body] of xml.matchAll(/<way\b[^>]*>([\s\S]*?)<\/way>/g)) {
    const building = body.match(/<tag k="building" v="([^"]*)"/)?.[1];
    if (!building || !['residential', 'apartments', 'house', 'dormitory', 'detached', 'semidetached_house', 'terrace', 'yes'].includes(building)) continue;
    const refs = [...body.matchAll(/<nd ref="(\d+)"/g)].map((m) => m[1]);
    if (refs.length >= 4 && refs[0] === refs[refs.length - 1]) count++;
  }
  return count;
}

describe('the default network\'s residential buildings', () => {
  it('are loaded with the facilities and written for the threads', () => {
    const expected = countInXml();
    expect(expected).toBeGreaterThan(500);
    const buildings = app.network.buildings!;
    expect(buildings.count).toBe(expected);
    const file = app.network.buildingsFile!;
    expect(file.startsWith(cacheDir)).toBe(true);
    expect(file.endsWith('chengdu.osm.pbf.buildings.json')).toBe(true);
    const fromFile = ResidentialBuildings.fromJSON(JSON.parse(readFileSync(file, 'utf8')));
    expect(fromFile.count).toBe(expected);
    expect([...fromFile.lon]).toEqual([...buildings.lon]);
  });
});

describe('default facilities from a GeoJSON file', () => {
  it('have no buildings, and the facilities stay loaded', async () => {
    const file = join(cacheDir, 'facilities.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [104.06, 30.66] }, properties: { id: 'f', category: 'clinic' } }] }));
    const other = testApp({ defaultGraph: await chengduGraph(), defaultFacilitiesPath: file, networkCacheDir: cacheDir });
    try {
      await other.ready();
      expect(other.network.facilities).toHaveLength(1);
      expect(other.network.buildings).toBeUndefined();
      expect(other.network.buildingsFile).toBeUndefined();
    } finally {
      await other.close();
    }
  }, 120_000);
});
