import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import gcoordModule from 'gcoord';
import { ROOT, cliInProcess } from './run-cli.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { graphFromOsm } from '../../src/core/io/build-network.ts';
import { readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import { coverage } from '../../src/runtime/requests/coverage.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
const SAMPLE = 'data/sample/chengdu.osm.pbf';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cli-coverage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const IDS = ['guangzhou-2020-urban-basic', 'guangzhou-2020-rural-basic', 'guangzhou-2020-urban-quality', 'guangzhou-2020-rural-quality'];
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;
/**
 * The command in this process (src/edge/cli/cli.ts runCli, as main.ts calls it), one run after another:
 * what it writes and its exit code are the test's subject, not starting node (cli.test.ts spawns the
 * real process once).
 */
const cli = (...args: string[]) => cliInProcess({}, ...args);
async function inTurn<T>(runs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = [];
  for (const run of runs) results.push(await run());
  return results;
}

describe('lifecircle coverage on the sample (network, facilities and communities from chengdu.osm.pbf)', () => {
  it('writes the JSON report and the CSV table, with a one-line summary against the targets', async () => {
    const [jsonFile, csvFile] = [join(dir, 'report.json'), join(dir, 'report.csv')];
    const inputs = ['--network', SAMPLE, '--facilities', SAMPLE, '--communities', SAMPLE];
    const [json, csv] = await inTurn([
      () => cli('coverage', ...inputs, '--format', 'json', '--out', jsonFile),
      () => cli('coverage', ...inputs, '--standards', 'guangzhou-2020-urban-basic,guangzhou-2020-rural-basic', '--format', 'csv', '--out', csvFile),
    ]);
    expect([json.code, csv.code]).toEqual([0, 0]);
    expect([json.stdout, csv.stdout]).toEqual(['', '']);

    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    const n = report.communities.length;
    expect(n).toBeGreaterThan(100);
    const summary = lastLine(json.stderr);
    expect(summary).toMatch(
      new RegExp(
        `^coverage: ${n} communities \\(${n} urban, 0 rural\\), ${report.facilities.count} facilities; meeting each standard: ` +
          `guangzhou-2020-urban-basic \\(walk 15 min\\) \\d+/${n} = [\\d.]+% vs target 90%, [\\d.]+% of items met on average; ` +
          `guangzhou-2020-rural-basic \\(ebike 30 min\\) no rural communities; ` +
          `guangzhou-2020-urban-quality \\(walk 15 min\\) \\d+/${n} = [\\d.]+% vs target 50%, [\\d.]+% of items met on average; ` +
          `guangzhou-2020-rural-quality \\(ebike 30 min\\) no rural communities; 0 community errors; \\d+ ms → .*report\\.json$`,
      ),
    );
    // Anything else on stderr is a warning.
    expect(json.stderr.trimEnd().split('\n').slice(0, -1).every((line) => line.startsWith('warning: '))).toBe(true);

    // The OSM residential areas are urban communities, named as in OSM, with the shape of the API's answer.
    expect(report.standards.map((s: any) => s.id)).toEqual(IDS);
    expect(report.errors.communities).toEqual([]);
    expect(report.communities.every((c: any) => c.type === 'urban' && /^way\/\d+$/.test(c.id) && ['grid', 'buildings'].includes(c.homes.rule))).toBe(true);
    // Homes in the OSM residential buildings where they cover the polygon, else on a grid.
    expect(report.communities.some((c: any) => c.homes.rule === 'buildings')).toBe(true);
    expect(report.communities.some((c: any) => /[\u4e00-\u9fff]/.test(c.name ?? ''))).toBe(true);
    expect(report.summary.standards.map((s: any) => [s.standardId, s.communities])).toEqual([[IDS[0], n], [IDS[1], 0], [IDS[2], n], [IDS[3], 0]]);

    // The same answer as the request function given the same inputs in this process.
    const pois = await readOsmPois(fileBytes(SAMPLE));
    const graph = await graphFromOsm(fileBytes(SAMPLE), { source: SAMPLE });
    const communities = { type: 'FeatureCollection', features: pois.residential.features.map((f) => ({ ...f, properties: { ...f.properties, type: 'urban' } })) };
    const facilitiesRead = readFacilities(pois.facilities);
    const expected = coverage({ communities }, { defaultGraph: graph, defaultFacilities: facilitiesRead.facilities, defaultBuildings: pois.buildings }).response;
    // The CLI reads the facilities itself, so it reports those with no category (as a request would).
    expect(report).toEqual(JSON.parse(JSON.stringify({ ...expected, errors: { communities: [], facilities: [], homes: [], declarations: [] }, unmappedFacilities: facilitiesRead.unmapped })));

    const bytes = readFileSync(csvFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^community_id,community_name,community_type,district,subdistrict,standard_id,mode,minutes,group,item_id,item_zh,item_en,kind,status,/);
    // Urban communities only: one row per community × item of the urban basic standard (34 items).
    expect(lines).toHaveLength(1 + n * 34);
    expect(lines.filter((l) => l.includes(',party-1,社区党群服务中心,'))).toHaveLength(n);
    expect(lastLine(csv.stderr)).toMatch(new RegExp(`^coverage: ${n} communities .*guangzhou-2020-rural-basic \\(ebike 30 min\\) no rural communities; 0 community errors; \\d+ ms → .*report\\.csv$`));
  });

  it('takes GeoJSON communities, the network\'s points of interest by default, and writes a map to stdout', async () => {
    const communities = join(dir, 'communities.geojson');
    const origins = JSON.parse(readFileSync(join(ROOT, 'data/sample/origins.geojson'), 'utf8'));
    origins.features.forEach((f: any) => (f.properties.type = 'urban'));
    writeFileSync(communities, JSON.stringify(origins));
    // The same places in GCJ-02 (as Amap gives them), against the OSM (WGS84) facilities.
    const gcjCommunities = join(dir, 'communities-gcj02.geojson');
    const toGcj = ([lon, lat]: number[]) => gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
    writeFileSync(gcjCommunities, JSON.stringify({ ...origins, features: origins.features.map((f: any) => ({ ...f, geometry: { type: 'Point', coordinates: toGcj(f.geometry.coordinates) } })) }));

    const standards = ['--standards', 'guangzhou-2020-urban-basic'];
    const [run, wgs, gcj] = await inTurn([
      () => cli('coverage', '--network', SAMPLE, '--communities', communities, ...standards, '--format', 'geojson'),
      () => cli('coverage', '--network', SAMPLE, '--communities', communities, ...standards),
      () => cli('coverage', '--network', SAMPLE, '--communities', gcjCommunities, ...standards, '--crs', 'gcj02'),
    ]);
    expect([run.code, wgs.code, gcj.code]).toEqual([0, 0, 0]);
    const items = (stdout: string) => JSON.parse(stdout).communities.flatMap((c: any) => c.standards[0].items);
    const [fromWgs, fromGcj] = [items(wgs.stdout), items(gcj.stdout)];
    expect(fromGcj.map((i: any) => `${i.status} ${i.nearest?.facilityId ?? ''}`)).toEqual(fromWgs.map((i: any) => `${i.status} ${i.nearest?.facilityId ?? ''}`));
    fromGcj.forEach((item: any, k: number) => expect(Math.abs((item.nearest?.meters ?? 0) - (fromWgs[k].nearest?.meters ?? 0))).toBeLessThanOrEqual(1));
    expect(fromWgs.filter((i: any) => i.status === 'met').length).toBeGreaterThan(0);

    const map = JSON.parse(run.stdout);
    expect(map.features.map((f: any) => f.id)).toEqual(['shima-road', 'shudong-west', 'minhang-dorm']);
    expect(map.features.every((f: any) => /^#[0-9a-f]{6}$/.test(f.properties['marker-color']) && f.properties['guangzhou-2020-urban-basic:pass'] === false)).toBe(true);
    expect(lastLine(run.stderr)).toMatch(/^coverage: 3 communities \(3 urban, 0 rural\), \d{3,} facilities; meeting each standard: guangzhou-2020-urban-basic \(walk 15 min\) 0\/3 = 0% vs target 90%/);
  });

  it('reads CSV communities and a zipped shapefile of facilities (reprojected from its .prj) as their GeoJSON', async () => {
    // The GDAL fixtures (test/fixtures/shapefile): the facilities in CGCS2000 Gauss–Krüger metres, and
    // the GeoJSON they were made from; the communities as points in a CSV, a spreadsheet's columns.
    const fixture = (name: string) => join(ROOT, 'test/fixtures/shapefile', name);
    const polygons = JSON.parse(readFileSync(fixture('communities.source.geojson'), 'utf8')).features;
    const points = polygons.map((f: any) => {
      const ring: number[][] = f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.coordinates[0][0];
      const mean = (k: number) => +(ring.slice(1).reduce((sum, p) => sum + p[k], 0) / (ring.length - 1)).toFixed(7);
      return { id: f.properties.id, name: f.properties.name, lon: mean(0), lat: mean(1) };
    });
    const csv = join(dir, 'communities.csv');
    writeFileSync(csv, ['id,name,type,经度,纬度', ...points.map((p: any) => `${p.id},${p.name},urban,${p.lon},${p.lat}`)].join('\r\n'));
    const geojson = join(dir, 'communities-points.geojson');
    writeFileSync(geojson, JSON.stringify({ type: 'FeatureCollection', features: points.map((p: any) => ({ type: 'Feature', properties: { id: p.id, name: p.name, type: 'urban' }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })) }));

    const standards = ['--standards', 'guangzhou-2020-urban-basic'];
    const [formats, reference] = await inTurn([
      () => cli('coverage', '--network', SAMPLE, '--communities', csv, '--facilities', fixture('facilities-cgcs2000-gk105.zip'), ...standards),
      () => cli('coverage', '--network', SAMPLE, '--communities', geojson, '--facilities', fixture('facilities.source.geojson'), ...standards),
    ]);
    expect([formats.code, reference.code], formats.stderr).toEqual([0, 0]);
    const [got, want] = [JSON.parse(formats.stdout), JSON.parse(reference.stdout)];
    expect(got.facilities.count).toBe(3);
    expect(got.communities.map((c: any) => c.id)).toEqual(polygons.map((f: any) => f.properties.id));
    const statuses = (report: any) => report.communities.map((c: any) => [c.id, c.name, c.standards[0].items.map((i: any) => `${i.itemId} ${i.status} ${i.nearest?.facilityId ?? ''}`)]);
    expect(statuses(got)).toEqual(statuses(want));
    // Something is reached, or the comparison says little.
    expect(want.communities.flatMap((c: any) => c.standards[0].items).filter((i: any) => i.nearest?.facilityId).length).toBeGreaterThan(0);

    // A damaged zip is bad input, named by option and file.
    const damaged = readFileSync(fixture('communities-wgs84-gbk.zip'));
    damaged[700] ^= 0xff;
    damaged[701] ^= 0x55;
    const damagedFile = join(dir, 'damaged.zip');
    writeFileSync(damagedFile, damaged);
    const refused = await cli('coverage', '--network', SAMPLE, '--communities', damagedFile, ...standards);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: --communities ${damagedFile}: the zip's entry communities/communities.shp cannot be inflated (invalid distance)\n`);
  });

  it('exits 2 with one clear line for bad standards and options', async () => {
    const badStandard = join(dir, 'bad-standard.json');
    const standard = JSON.parse(readFileSync(join(ROOT, 'data/standards/guangzhou-2020-urban-basic.json'), 'utf8'));
    standard.id = 'mine';
    standard.items[0].categories = ['party_comunity_centre'];
    writeFileSync(badStandard, JSON.stringify(standard));
    const base = ['coverage', '--network', SAMPLE, '--communities', SAMPLE];
    const runs = await inTurn([
      () => cli(...base, '--standards', 'guangzhou-2020-urban-basic,guangzhou-2020-urbn-quality'),
      () => cli(...base, '--standards', 'guangzhou-2020-urban-basic,'),
      () => cli(...base, '--standard', badStandard),
      () => cli(...base, '--crs', 'epsg3857'),
      () => cli('coverage', '--network', SAMPLE),
    ]);
    expect(runs.map((r) => r.stderr)).toEqual([
      `error: --standards: "guangzhou-2020-urbn-quality" is not a known standard (did you mean "guangzhou-2020-urban-quality"?); the standards are ${IDS.join(', ')}\n`,
      'error: --standards: got "guangzhou-2020-urban-basic,", expected standard ids separated by commas\n',
      `error: --standard ${badStandard}: items[0].categories[0]: "party_comunity_centre" is not a facility category (did you mean "party_community_centre"?)\n`,
      'error: --crs: got "epsg3857", expected a coordinate system such as "EPSG:4547", "urn:ogc:def:crs:EPSG::4547", "urn:ogc:def:crs:OGC:1.3:CRS84" or one of wgs84, gcj02, bd09, cgcs2000 (did you mean "EPSG:3857"?)\n',
      'error: --communities is required (see --help)\n',
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs.every((r) => r.stdout === '')).toBe(true);
  });

  it('says in its help that OSM communities are the residential areas, read as urban', async () => {
    const help = await cli('coverage', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: lifecircle coverage --network <file> --communities <file>/);
    expect(help.stdout).toMatch(/landuse=residential ways become communities, all urban/);
  });
});
