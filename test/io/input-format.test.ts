import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { detectInputFormat } from '../../src/core/io/input-format.ts';
import { detectFileFormat } from '../../src/runtime/files/detect-file-format.ts';
import { readNetwork } from '../../src/runtime/files/load-network.ts';
import { readPointSetFile } from '../../src/runtime/files/read-point-set.ts';
import { zippedShapefileToGeoJson } from '../../src/core/io/zipped-shapefile.ts';
import { shapefileFixture as fixture } from '../helpers/shapefile-zip.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-input-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const bytes = (text: string) => new TextEncoder().encode(text);
const source = (name: string) => JSON.parse(fixture(name).toString('utf8'));

describe('detectInputFormat: content type, then first bytes, then extension', () => {
  it('tells each format by its magic bytes, whatever the name says', () => {
    const cases: [Uint8Array, string | undefined][] = [
      [fixture('communities-wgs84-gbk.zip').subarray(0, 64), 'zip'],
      [bytes('\uFEFF  {"type":"FeatureCollection"}'), 'json'],
      [bytes('[{"community":"a"}]'), 'json'],
      [bytes('<?xml version="1.0"?><osm version="0.6">'), 'osm'],
      [Uint8Array.of(0x1f, 0x8b, 8, 0), 'osm'],
      [Uint8Array.of(0, 0, 0, 0x0d, 0x0a, 0x09, ...bytes('OSMHeader')), 'osm'],
      [bytes('LCGRAPH\0\x02\0\0\0'), 'lcg'],
      [bytes('id,lon,lat\n'), undefined],
    ];
    for (const [head, format] of cases) expect(detectInputFormat({ head, name: 'misnamed.geojson.csv.txt' })).toBe(format);
  });

  it('falls back on the extension, and an upload\'s content type wins over both', () => {
    expect(detectInputFormat({ head: bytes('id,lon,lat\n'), name: 'pois.CSV' })).toBe('csv');
    expect(detectInputFormat({ name: 'roads.osm.gz' })).toBe('osm');
    expect(detectInputFormat({ name: 'city.lcg' })).toBe('lcg');
    expect(detectInputFormat({ name: 'notes.txt' })).toBeUndefined();
    expect(detectInputFormat({ contentType: 'text/csv; charset=utf-8', head: bytes('{') })).toBe('csv');
    expect(detectInputFormat({ contentType: 'application/x-zip-compressed' })).toBe('zip');
    expect(detectInputFormat({ contentType: 'application/octet-stream', head: bytes('{"type"') })).toBe('json');
    expect(detectFileFormat(join(dir, 'missing.csv'))).toBe('csv');
  });
});

describe('readPointSetFile: one reader for the CLI, the nightly and the server\'s defaults', () => {
  const facilities = source('facilities.source.geojson');
  const csv = ['id,name,category,area_m2,lon,lat', ...facilities.features.map((f: any) => [f.properties.id, f.properties.name, f.properties.category, f.properties.area_m2, ...f.geometry.coordinates].join(','))].join('\r\n');

  it('reads GeoJSON, CSV and a zipped shapefile (reprojected) to the same facilities', async () => {
    const fromGeoJson = readFacilities(facilities).facilities;
    // The shapefile's name says nothing: its bytes do.
    for (const path of [file('pois.csv', csv), file('pois.data', fixture('facilities-cgcs2000-gk105.zip')), file('pois.zip', fixture('facilities-zip64.zip'))]) {
      const read = await readPointSetFile(path, 'facilities', { what: `--facilities ${path}` });
      expect(read.osm).toBe(false);
      const got = readFacilities(read.collection).facilities;
      expect(got.map((f) => [f.id, f.name, f.categories, f.areaM2])).toEqual(fromGeoJson.map((f) => [f.id, f.name, f.categories, f.areaM2]));
      got.forEach((f, i) => {
        expect(f.lon).toBeCloseTo(fromGeoJson[i].lon, 7);
        expect(f.lat).toBeCloseTo(fromGeoJson[i].lat, 7);
      });
    }
  });

  it('reads an OSM file\'s residential areas as urban communities, once for several inputs', async () => {
    let reads = 0;
    const osm = file('town.osm', '<osm version="0.6"><node id="1" lat="30.0" lon="104.0"/><node id="2" lat="30.0" lon="104.001"/><node id="3" lat="30.001" lon="104.001"/>' +
      '<way id="9"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="landuse" v="residential"/><tag k="name" v="小区"/></way></osm>');
    const { readOsmPois } = await import('../../src/core/io/osm/read-pois.ts');
    const once = readOsmPois(fileBytes(osm));
    const osmPois = () => (reads++, once);
    const read = await readPointSetFile(osm, 'communities', { what: 'communities', osmPois });
    expect(read.osm).toBe(true);
    expect(readCommunities(read.collection).communities.map((c) => [c.id, c.name, c.type])).toEqual([['way/9', '小区', 'urban']]);
    expect(reads).toBe(1);
  });

  it('says what is wrong, naming the input: unreadable, not JSON, a CSV without coordinates, a damaged zip', async () => {
    const what = (path: string) => ({ what: `--communities ${path}` });
    const missing = join(dir, 'nope.geojson');
    await expect(readPointSetFile(missing, 'communities', what(missing))).rejects.toMatchObject({ code: 'INVALID_GEOJSON', message: `--communities ${missing}: cannot read it (ENOENT)` });
    const broken = file('broken.geojson', '{"type": ');
    await expect(readPointSetFile(broken, 'communities', what(broken))).rejects.toMatchObject({ code: 'INVALID_GEOJSON', message: expect.stringMatching(/: not valid JSON \(/) });
    const noLon = file('c.csv', 'id,x_coord,lat\n1,2,3\n');
    await expect(readPointSetFile(noLon, 'communities', what(noLon))).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(new RegExp(`^--communities ${noLon}: no longitude column`)) });
    const badRow = file('rows.csv', 'id,lon,lat\na,104.07,30.66\nb,east,30.66\n');
    expect(readCommunities((await readPointSetFile(badRow, 'communities', what(badRow))).collection).errors).toEqual([
      expect.objectContaining({ index: 1, message: expect.stringContaining('CSV row 3, column "lon": "east", expected a number') }),
    ]);
    const graph = file('city.bin', bytes('LCGRAPH\0 rest'));
    await expect(readPointSetFile(graph, 'communities', what(graph))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });
});

describe('zipped shapefiles through fflate', () => {
  it('reads a ZIP64 archive as the same layer', () => {
    expect(zippedShapefileToGeoJson(fixture('facilities-zip64.zip'), 'facilities')).toEqual(zippedShapefileToGeoJson(fixture('facilities-cgcs2000-gk105.zip'), 'facilities'));
  });

  it('refuses a corrupted archive, naming the entry, wherever the damage is', () => {
    const zip = fixture('communities-wgs84-gbk.zip');
    // Two bytes flipped inside the deflated .dbf, .prj and .shp (GDAL's fixture, not made here).
    for (const [at, entry] of [[200, 'dbf'], [400, 'prj'], [700, 'shp']] as const) {
      const damaged = Buffer.from(zip);
      damaged[at] ^= 0xff;
      damaged[at + 1] ^= 0x55;
      expect(() => zippedShapefileToGeoJson(damaged, 'communities')).toThrow(expect.objectContaining({
        code: 'INVALID_SHAPEFILE',
        where: 'communities',
        message: expect.stringMatching(new RegExp(`^communities: the zip's entry communities/communities\\.${entry} cannot be inflated \\(`)),
      }));
    }
  });
});

describe('readNetwork: the format told by the bytes', () => {
  it('reads GeoJSON roads from a file whose name says nothing', async () => {
    const roads = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[104, 30], [104.001, 30], [104.002, 30]] } }] };
    const graph = await readNetwork(file('roads.dat', JSON.stringify(roads)));
    expect(graph.nodeCount).toBeGreaterThanOrEqual(2);
    await expect(readNetwork(file('roads.txt', 'hello'))).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/unknown network format "\.txt"/) });
  });
});
