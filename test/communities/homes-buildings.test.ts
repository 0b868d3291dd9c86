/**
 * Residential buildings from OSM, read in the facilities' pass, and homes placed in them: which
 * building tags count, footprint and levels for the weights, the box index against brute force, and
 * when a compound's buildings are too sparsely mapped to stand for its homes.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { placeHomes } from '../../src/core/communities/place-homes.ts';
import { ResidentialBuildings } from '../../src/core/communities/residential-buildings.ts';
import { readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import { at, fc, metres, rect } from './homes-fixtures.ts';

/** OSM XML: each building a closed way over fresh nodes at the corners of a rectangle in metres. */
function osmXml(buildings: { x: number; y: number; w: number; h: number; tags: Record<string, string> }[]): string {
  const nodes: string[] = [];
  const ways: string[] = [];
  let nodeId = 1;
  buildings.forEach((b, i) => {
    const ids: number[] = [];
    for (const [lon, lat] of rect(b.x, b.y, b.w, b.h).slice(0, 4)) {
      nodes.push(`<node id="${nodeId}" lat="${lat}" lon="${lon}"/>`);
      ids.push(nodeId++);
    }
    const refs = [...ids, ids[0]].map((id) => `<nd ref="${id}"/>`).join('');
    const tags = Object.entries(b.tags)
      .map(([k, v]) => `<tag k="${k}" v="${v}"/>`)
      .join('');
    ways.push(`<way id="${100 + i}">${refs}${tags}</way>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n${nodes.join('\n')}\n${ways.join('\n')}\n</osm>\n`;
}

// A 100 m × 100 m compound; inside it a 40 m × 40 m block of six levels, a 20 m × 20 m house and a
// shop; outside it an untyped building.
const XML = osmXml([
  { x: 10, y: 10, w: 40, h: 40, tags: { building: 'apartments', 'building:levels': '6' } },
  { x: 60, y: 60, w: 20, h: 20, tags: { building: 'house' } },
  { x: 60, y: 10, w: 30, h: 30, tags: { building: 'commercial' } },
  { x: 300, y: 300, w: 20, h: 20, tags: { building: 'yes' } },
]);

const compound = (properties: Record<string, unknown> = {}) =>
  readCommunities(fc({ type: 'Feature', id: 'c', geometry: { type: 'Polygon', coordinates: [rect(0, 0, 100, 100)] }, properties: { type: 'urban', ...properties } }))
    .communities[0];

describe('residential buildings from OSM', () => {
  it('keeps residential building tags (and yes), not shops; footprint and levels', async () => {
    const read = await readOsmPois(Readable.from([XML]));
    expect(read.buildings.count).toBe(3);
    expect(read.stats.buildings).toMatchObject({ buildings: 3, openWays: 0, incompleteWays: 0 });
    const all = Array.from({ length: read.buildings.count }, (_, i) => read.buildings.building(i));
    const [apartments, house, yes] = all;
    expect(apartments.levels).toBe(6);
    expect(house.levels).toBe(1);
    // 1,600 m², 400 m², 400 m² within 0.5 %.
    for (const [b, expected] of [[apartments, 1600], [house, 400], [yes, 400]] as const) {
      expect(b.areaM2 / expected).toBeGreaterThan(0.995);
      expect(b.areaM2 / expected).toBeLessThan(1.005);
    }
    const [x, y] = metres(apartments.lon, apartments.lat);
    expect(x > 10 && x < 50 && y > 10 && y < 50).toBe(true);
  });

  it('a compound\'s homes are its buildings, its population shared by floor area', async () => {
    const { buildings } = await readOsmPois(Readable.from([XML]));
    const homes = placeHomes(compound({ population: 1000 }), { buildings });
    expect(homes.rule).toBe('buildings');
    expect(homes.homes).toHaveLength(2);
    // Floor: 1,600 × 6 = 9,600 m² and 400 m²: 960 and 40 people.
    const [block, house] = homes.homes;
    expect(block.weight).toBeCloseTo(960, 0);
    expect(house.weight).toBeCloseTo(40, 0);
    const [hx, hy] = metres(house.lon, house.lat);
    expect(hx > 60 && hx < 80 && hy > 60 && hy < 80).toBe(true);
  });

  it('too few buildings mapped (footprints under 10 % of the compound): the grid instead', async () => {
    const { buildings } = await readOsmPois(Readable.from([osmXml([{ x: 10, y: 10, w: 20, h: 20, tags: { building: 'residential' } }])]));
    // 400 m² of 10,000: 4 %.
    expect(placeHomes(compound(), { buildings }).rule).toBe('grid');
    expect(placeHomes(compound(), { buildings, minBuildingCover: 0.03 }).rule).toBe('buildings');
  });

  it('over the cap, neighbouring buildings are merged into one home that carries their weight', () => {
    // 100 buildings of 5 m × 5 m on a 10 m grid filling the compound; cap 10.
    const list = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) list.push({ lon: at(i * 10 + 5, j * 10 + 5)[0], lat: at(i * 10 + 5, j * 10 + 5)[1], areaM2: 25, levels: 4 });
    const homes = placeHomes(compound({ population: 500 }), { buildings: new ResidentialBuildings(list), cap: 10, minBuildingCover: 0 });
    expect(homes.rule).toBe('buildings');
    expect(homes.capped).toEqual({ cap: 10, found: 100 });
    expect(homes.homes.length).toBeLessThanOrEqual(10);
    expect(homes.homes.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(500, 6);
  });

  it('the box index finds exactly the buildings a scan finds, and survives its JSON form', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const list = Array.from({ length: 500 }, () => ({ lon: 104 + random() * 0.1, lat: 30.6 + random() * 0.1, areaM2: 50 + random() * 500, levels: 1 + Math.floor(random() * 30) }));
    const index = ResidentialBuildings.fromJSON(JSON.parse(JSON.stringify(new ResidentialBuildings(list))));
    for (let q = 0; q < 50; q++) {
      const west = 104 + random() * 0.1;
      const south = 30.6 + random() * 0.1;
      const [east, north] = [west + random() * 0.03, south + random() * 0.03];
      const scan = list.flatMap((b, i) => (b.lon >= west && b.lon <= east && b.lat >= south && b.lat <= north ? [i] : []));
      expect(index.inBox(west, south, east, north).sort((a, b) => a - b)).toEqual(scan);
    }
    expect(index.building(3)).toEqual({ ...list[3], levels: list[3].levels });
    expect(() => ResidentialBuildings.fromJSON({ type: 'ResidentialBuildings', version: 99 })).toThrow(/version/);
  });
});

describe('residential buildings: more parts than the cap', () => {
  it('keeps one home per part', () => {
    const parts = [0, 1, 2].map((i) => [rect(i * 500, 0, 20, 20)]);
    const list = [0, 1, 2].flatMap((i) => [at(i * 500 + 5, 5), at(i * 500 + 15, 15)].map(([lon, lat]) => ({ lon, lat, areaM2: 100, levels: 1 })));
    const c = readCommunities(fc({ type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: parts }, properties: { type: 'urban' } })).communities[0];
    const homes = placeHomes(c, { buildings: new ResidentialBuildings(list), cap: 2 });
    expect(homes.rule).toBe('buildings');
    expect(homes.homes.map((h) => h.part)).toEqual([0, 1, 2]);
    // No population: the weights sum to the number of homes, equal floor areas equal shares.
    expect(homes.homes.map((h) => h.weight)).toEqual([1, 1, 1]);
    expect(homes.capped).toEqual({ cap: 2, found: 6 });
  });
});
