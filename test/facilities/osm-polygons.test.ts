import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osmCategories } from '../../src/core/facilities/osm-mapping.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { assembleMultipolygon, joinRings } from '../../src/core/io/osm/multipolygon.ts';
import { type OsmPoisRead, readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

/**
 * Facilities drawn as OSM areas: closed ways and multipolygon relations become polygons, reached at
 * their `entrance=*` nodes when mapped, else along their outline; tram stops are transport.
 *
 * A tiny OSM file, 0.001° (≈ 100 m) a step, written here:
 *
 *   relation 100, 东湖社区图书馆 (amenity=library), listed before its ways: outer ring 1-2-3-4 split
 *     into way 20 (1-2-3) and way 21 (1-4-3, drawn the other way round), hole way 22 (5-6-7-8);
 *     node 2 is its main entrance, node 4 an emergency exit (not a way in);
 *   relation 101, 东湖社区博物馆 (tourism=museum): two separate buildings, ways 23 and 24: a MultiPolygon;
 *   relation 102, a park whose outer way 99 is not in the file (a clipped extract): not read;
 *   relation 103, a school as `type=site`: a group of things, not an outline: skipped;
 *   way 25, 望江公园 (leisure=park), closed, with node 30 `entrance=yes` on it;
 *   node 40 railway=tram_stop, node 41 public_transport=platform + tram=yes, node 42 a platform of
 *     nothing in particular.
 */
const OSM = `<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="30.000" lon="104.000"/>
  <node id="2" lat="30.000" lon="104.004"><tag k="entrance" v="main"/></node>
  <node id="3" lat="30.004" lon="104.004"/>
  <node id="4" lat="30.004" lon="104.000"><tag k="entrance" v="emergency"/></node>
  <node id="5" lat="30.001" lon="104.001"/>
  <node id="6" lat="30.001" lon="104.002"/>
  <node id="7" lat="30.002" lon="104.002"/>
  <node id="8" lat="30.002" lon="104.001"/>
  <node id="10" lat="30.010" lon="104.000"/>
  <node id="11" lat="30.010" lon="104.001"/>
  <node id="12" lat="30.011" lon="104.001"/>
  <node id="13" lat="30.020" lon="104.000"/>
  <node id="14" lat="30.020" lon="104.001"/>
  <node id="15" lat="30.021" lon="104.001"/>
  <node id="30" lat="30.030" lon="104.000"><tag k="entrance" v="yes"/></node>
  <node id="31" lat="30.030" lon="104.002"/>
  <node id="32" lat="30.032" lon="104.002"/>
  <node id="40" lat="30.040" lon="104.000"><tag k="railway" v="tram_stop"/><tag k="name" v="蓉2号线 天府公园站"/></node>
  <node id="41" lat="30.040" lon="104.001"><tag k="public_transport" v="platform"/><tag k="tram" v="yes"/></node>
  <node id="42" lat="30.040" lon="104.002"><tag k="public_transport" v="platform"/></node>
  <relation id="100">
    <member type="way" ref="20" role="outer"/>
    <member type="way" ref="21" role="outer"/>
    <member type="way" ref="22" role="inner"/>
    <member type="node" ref="2" role=""/>
    <tag k="type" v="multipolygon"/><tag k="amenity" v="library"/><tag k="name" v="东湖社区图书馆"/>
  </relation>
  <way id="20"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
  <way id="21"><nd ref="1"/><nd ref="4"/><nd ref="3"/><tag k="barrier" v="wall"/></way>
  <way id="22"><nd ref="5"/><nd ref="6"/><nd ref="7"/><nd ref="8"/><nd ref="5"/></way>
  <way id="23"><nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="10"/><tag k="building" v="yes"/></way>
  <way id="24"><nd ref="13"/><nd ref="14"/><nd ref="15"/><nd ref="13"/><tag k="building" v="yes"/></way>
  <way id="25"><nd ref="30"/><nd ref="31"/><nd ref="32"/><nd ref="30"/><tag k="leisure" v="park"/><tag k="name" v="望江公园"/></way>
  <way id="26"><nd ref="1"/><nd ref="10"/><tag k="highway" v="residential"/></way>
  <relation id="101">
    <member type="way" ref="23" role="outer"/>
    <member type="way" ref="24" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="tourism" v="museum"/><tag k="name" v="东湖社区博物馆"/>
  </relation>
  <relation id="102">
    <member type="way" ref="99" role="outer"/>
    <tag k="type" v="multipolygon"/><tag k="leisure" v="park"/>
  </relation>
  <relation id="103">
    <member type="way" ref="23" role=""/>
    <tag k="type" v="site"/><tag k="amenity" v="school"/><tag k="name" v="东湖小学"/>
  </relation>
</osm>
`;

let dir: string;
let read: OsmPoisRead;
const byId = (id: string) => read.facilities.features.find((f) => f.properties.id === id);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifecircle-osm-polygons-'));
  const file = join(dir, 'tiny.osm');
  writeFileSync(file, OSM);
  read = await readOsmPois(fileBytes(file));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OSM multipolygon relations as facilities', () => {
  it('joins split outer ways into one ring, puts the hole inside it, and keeps the tags but `type`', () => {
    const library = byId('relation/100') as Feature<Polygon>;
    expect(library.geometry.type).toBe('Polygon');
    const [outer, hole] = library.geometry.coordinates;
    // 1-2-3 then 3-4-1 (way 21 reversed): the four corners, closed.
    expect(outer).toEqual([[104, 30], [104.004, 30], [104.004, 30.004], [104, 30.004], [104, 30]]);
    expect(hole).toEqual([[104.001, 30.001], [104.002, 30.001], [104.002, 30.002], [104.001, 30.002], [104.001, 30.001]]);
    // `type=multipolygon` would read as an Amap type; the id says what the object is.
    expect(library.properties).toEqual({
      id: 'relation/100',
      name: '东湖社区图书馆',
      amenity: 'library',
      entrances: [[104.004, 30]],
    });
  });

  it('gives a relation of separate outer ways as a MultiPolygon', () => {
    const museum = byId('relation/101')!;
    expect(museum.geometry.type).toBe('MultiPolygon');
    expect(museum.geometry.coordinates).toEqual([
      [[[104, 30.01], [104.001, 30.01], [104.001, 30.011], [104, 30.01]]],
      [[[104, 30.02], [104.001, 30.02], [104.001, 30.021], [104, 30.02]]],
    ]);
    expect(museum.properties.entrances).toBeUndefined();
  });

  it('counts what it could not read: a clipped multipolygon, a site relation', () => {
    expect(byId('relation/102')).toBeUndefined();
    expect(byId('relation/103')).toBeUndefined();
    expect(read.stats).toMatchObject({ relations: 4, facilityRelations: 2, incompleteRelations: 1, relationsSkipped: 1, facilitiesWithEntrances: 2 });
  });

  it('reads the mapped entrances of a closed way', () => {
    expect(byId('way/25')?.properties.entrances).toEqual([[104, 30.03]]);
  });

  it('reaches them at their entrances, else along their outline', () => {
    const { facilities, errors } = readFacilities(read.facilities);
    expect(errors).toEqual([]);
    const library = facilities.find((f) => f.id === 'relation/100')!;
    expect(library).toMatchObject({ categories: ['library'], reachedAt: 'entrances', entrances: [[104.004, 30]] });
    // Its representative point is in the library, not in the hole.
    const geometry = byId('relation/100')!.geometry as Polygon;
    expect(booleanPointInPolygon([library.lon, library.lat], geometry)).toBe(true);
    const museum = facilities.find((f) => f.id === 'relation/101')!;
    expect(museum.categories).toContain('museum');
    expect(museum.reachedAt).toBe('outline');
    // Two triangles of ≈ 96 + 111 + 147 m: 15 points each, at most 25 m apart.
    expect(museum.entrances!.length).toBe(30);
    expect(facilities.find((f) => f.id === 'way/25')).toMatchObject({ categories: ['park'], reachedAt: 'entrances', entrances: [[104, 30.03]] });
  });
});

describe('joining member ways into rings', () => {
  it('chains open ways in member order, turning those drawn the other way round', () => {
    expect(joinRings([[1, 2], [3, 2], [3, 4, 1]])).toEqual({ rings: [[1, 2, 3, 4, 1]] });
    expect(joinRings([[5, 6, 7, 5], [1, 2, 3], [3, 1]])).toEqual({ rings: [[5, 6, 7, 5], [1, 2, 3, 1]] });
  });

  it('says where a ring does not close, and what is missing', () => {
    expect(joinRings([[1, 2, 3], [3, 4]])).toEqual({ problem: 'ring does not close: it ends at node 4, which no other member way starts or ends at' });
    const at = (id: number) => (id === 9 ? undefined : [104 + id / 1000, 30]);
    expect(assembleMultipolygon([{ refs: [1, 2, 9, 1], role: 'outer' }], at)).toEqual({ problem: 'node 9 is not in the file' });
    expect(assembleMultipolygon([{ refs: [1, 2, 3, 1], role: 'inner' }], at)).toEqual({ problem: 'no outer way' });
  });
});

describe('tram stops', () => {
  it('count as the stops bus stops count as', () => {
    expect(osmCategories({ railway: 'tram_stop' })).toEqual(['bus_stop']);
    expect(osmCategories({ public_transport: 'platform', tram: 'yes' })).toEqual(['bus_stop']);
    expect(osmCategories({ public_transport: 'platform' })).toEqual([]);
    const { facilities } = readFacilities(read.facilities);
    const stops = facilities.filter((f) => f.categories.includes('bus_stop')).map((f) => f.id);
    expect(stops).toEqual(['node/40', 'node/41']);
  });
});
