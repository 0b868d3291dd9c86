/**
 * Points of interest and residential areas from the real Chengdu extract, checked against the
 * counts osmium computed for its SOURCE.md, and XML against PBF.
 */
import { readFileSync } from 'node:fs';
import type { Feature } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { readOsm } from '../../src/core/io/osm/read-osm.ts';
import { type OsmPoisRead, readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import { PoiCollector } from '../../src/core/io/osm/poi-collector.ts';
import { CollectingSink } from '../io/collecting-sink.ts';
import { dataFile, documentedCounts } from '../io/shared-data.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

const SOURCE = () => readFileSync(dataFile('chengdu/SOURCE.md'), 'utf8');

/** "| bank | amenity=bank | 16 |" rows of SOURCE.md's everyday-facility table. */
function documentedCategoryRows(): { label: string; tags: string[]; count: number }[] {
  const table = SOURCE().split('Everyday-facility categories')[1].split('\n## ')[0];
  return [...table.matchAll(/^\| ([^|]+) \| ([^|]+=[^|]*) \| (\d+) \|$/gm)].map((m) => ({
    label: m[1].trim(),
    tags: m[2].split(',').map((t) => t.trim()),
    count: Number(m[3]),
  }));
}

const hasTag = (props: Record<string, unknown>, tag: string) => {
  const [key, value] = tag.split('=');
  return value === undefined || value === '' ? props[key] !== undefined : props[key] === value;
};

let pbf: OsmPoisRead;
let xml: OsmPoisRead;
beforeAll(async () => {
  [pbf, xml] = await Promise.all([readOsmPois(fileBytes(dataFile('chengdu/chengdu.osm.pbf'))), readOsmPois(fileBytes(dataFile('chengdu/chengdu.osm')))]);
});

describe('readOsmPois on chengdu', () => {
  it('reads every element once', () => {
    const documented = documentedCounts('chengdu');
    expect(pbf.stats).toMatchObject({ format: 'pbf', nodes: documented.nodes, ways: documented.ways, relations: documented.relations });
    // SOURCE.md: every node referenced by a way is in the file.
    expect(pbf.stats.incompleteWays).toBe(0);
  });

  it('gives the 186 closed landuse=residential ways as polygons with id and name', () => {
    const documented = Number(SOURCE().match(/`landuse=residential` objects: (\d+) \(ways (\d+), relations 0\)/)![2]);
    expect(documented).toBe(186);
    expect(pbf.residential.features).toHaveLength(documented);
    expect(pbf.stats.residentialWays).toBe(documented);
    for (const f of pbf.residential.features) {
      expect(f.properties.id).toMatch(/^way\/\d+$/);
      expect(f.id).toBe(f.properties.id);
      const ring = f.geometry.coordinates[0];
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
    // …and they read as communities (no type in OSM: urban, with a warning each).
    const communities = readCommunities(pbf.residential);
    expect(communities.errors).toEqual([]);
    expect(communities.communities).toHaveLength(documented);
    expect(communities.warnings).toHaveLength(documented);
  });

  it('accounts for every documented everyday-facility object: read or unmapped', () => {
    const rows = documentedCategoryRows();
    expect(rows.map((r) => r.label)).toContain('bank');
    for (const row of rows) {
      const read = pbf.facilities.features.filter((f) => row.tags.some((t) => hasTag(f.properties, t))).length;
      const unmapped = Object.entries(pbf.stats.unmapped.byTag)
        .filter(([key]) => key.split(', ').some((kv) => row.tags.some((t) => (t.endsWith('=') ? kv.startsWith(t) : kv === t))))
        .reduce((sum, [, n]) => sum + n, 0);
      expect(read + unmapped, row.label).toBe(row.count);
    }
    // The two multipolygons with facility tags are read: relation/7777957 图书馆（沙河校区）
    // (amenity=library, two buildings) and relation/3228848 四川科技馆 (tourism=museum).
    expect(pbf.stats).toMatchObject({ facilityRelations: 2, incompleteRelations: 0, relationsSkipped: 0 });
    expect(pbf.facilities.features.filter((f) => f.properties.id.startsWith('relation/')).map((f) => [f.properties.id, f.geometry.type])).toEqual([
      ['relation/3228848', 'Polygon'],
      ['relation/7777957', 'MultiPolygon'],
    ]);
  });

  it('maps each documented tag to its category', () => {
    const { facilities, unmapped, errors } = readFacilities(pbf.facilities);
    expect(errors).toEqual([]);
    // The reader keeps what the tag table recognises; the exclusions (issue 13) then take out 11:
    // the city's and province's libraries and museums (成都市图书馆, 四川省图书馆, 成都博物馆, 四川科技馆,
    // 成都永陵博物馆 ×3), two campus libraries and a school's pitch (交大, 沙河校区, 成都八中), a dental clinic.
    expect(unmapped.count).toBe(11);
    expect(Object.values(unmapped.byReason).reduce((a, b) => a + b, 0)).toBe(11);
    const count = (category: string) => facilities.filter((f) => f.categories.includes(category)).length;
    const withTag = (tag: string) => facilities.filter((f) => hasTag(f.properties, tag));
    expect(count('bank')).toBe(16);
    expect(count('police')).toBe(9);
    expect(count('public_toilet')).toBe(33);
    expect(count('pharmacy')).toBe(4);
    expect(count('post_office')).toBe(4);
    expect(count('library')).toBe(0); // 4 documented: two campus libraries (the relation one of them), the city's and the province's
    expect(count('hospital')).toBe(27); // 28, less 成华敬式牙科诊所 (dental)
    expect(count('clinic')).toBe(3); // 1 clinic + 2 doctors
    expect(count('playground')).toBe(2);
    expect(count('park')).toBe(32); // 29 park + 2 garden + 1 village_green
    expect(count('sports_ground') + count('sports_centre')).toBe(34); // 35 pitch less 成都八中's; stadiums are not mapped
    expect(count('restaurant')).toBe(113); // 99 restaurant + 14 fast_food
    // kindergarten/childcare 6: 5 kindergartens + 1 childcare, and 3 amenity=school named 幼儿园.
    expect(withTag('amenity=kindergarten').every((f) => f.categories.includes('kindergarten'))).toBe(true);
    expect(withTag('amenity=childcare').map((f) => f.categories)).toEqual([['nursery']]);
    expect(count('kindergarten')).toBe(5 + 3);
    // Marketplaces 13: 7 are food markets by name (菜市场, 农贸市场, 便民市场) or unnamed; the other 6
    // (城北电子城, 军用品, 纺织面料辅料专业市场, 文殊坊, 府河桥市场, 大成市场) say nothing of food.
    expect(count('fresh_market')).toBe(7);
    expect(pbf.stats.unmapped.byTag['amenity=marketplace']).toBe(6);
  });

  it('reads .osm and .osm.pbf to identical collections', () => {
    expect(pbf.facilities.features.length).toBeGreaterThan(600);
    expect(xml.facilities).toEqual(pbf.facilities);
    expect(xml.residential).toEqual(pbf.residential);
    const { format: _x, bytesRead: _xb, ...xmlStats } = xml.stats;
    const { format: _p, bytesRead: _pb, ...pbfStats } = pbf.stats;
    expect(xmlStats).toEqual(pbfStats);
  });

  it('writes id, name and every tag; nodes as Points, closed ways and relations as polygons', () => {
    const byId = new Map<string, Feature>(pbf.facilities.features.map((f) => [f.properties.id, f]));
    expect(byId.get('node/1949195316')).toEqual({
      type: 'Feature',
      id: 'node/1949195316',
      geometry: { type: 'Point', coordinates: expect.any(Array) },
      properties: { id: 'node/1949195316', name: '八里庄菜市场', amenity: 'marketplace' },
    });
    expect(byId.get('way/259864987')?.geometry.type).toBe('Polygon');
    expect(byId.get('way/259864987')?.properties).toEqual({ id: 'way/259864987', name: '锦绣东方菜市场', amenity: 'marketplace', building: 'yes' });
    const kinds = new Set(pbf.facilities.features.map((f) => `${f.properties.id.split('/')[0]}:${f.geometry.type}`));
    expect([...kinds].sort()).toEqual(['node:Point', 'relation:MultiPolygon', 'relation:Polygon', 'way:Polygon']);
  });

  it('rides along with the road reader in one pass', async () => {
    const pois = new PoiCollector();
    const stats = await readOsm(fileBytes(dataFile('chengdu/chengdu.osm.pbf')), new CollectingSink(), { also: [pois] });
    expect(stats.candidateWays).toBe(documentedCounts('chengdu').highwayWays);
    const { facilities, residential } = pois.collections();
    expect(facilities).toEqual(pbf.facilities);
    expect(residential).toEqual(pbf.residential);
  });
});
