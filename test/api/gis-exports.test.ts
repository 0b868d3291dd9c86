import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/io/csv-points.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * What a GIS user gets (issue 14): no answer on another city's facilities, every answer naming its
 * inputs, nothing usable → 422 with the reasons; exports that keep every community (a good one, one
 * with lon/lat swapped, one 40 km from the network) with their errors and assumptions; travel times as
 * an origin–destination table and as lines; shapefiles and GeoPackages that GDAL's ogrinfo reads
 * back (when GDAL is installed: CI installs it, elsewhere those tests skip and say so).
 */
const OGRINFO = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
const HAS_GDAL = OGRINFO.status === 0;
if (!HAS_GDAL) {
  if (process.env.CI) throw new Error('ogrinfo (gdal-bin) is not installed: .ci/run installs it, and CI runs these tests with it');
  console.warn('gis-exports.test.ts: ogrinfo not found (apt-get install gdal-bin): the GDAL read-back tests are skipped');
}

const far: [number, number] = [town.at('a')[0] + 0.4, town.at('a')[1]]; // ~40 km east of the town
const [lonB, latB] = town.at('b');
const communities = fc([
  town.point('good', town.at('b'), { type: 'urban', name: '北苑', population: 1000 }),
  // Latitude first, as a spreadsheet export often has it: not a position at all.
  { type: 'Feature', properties: { id: 'swapped', type: 'urban', name: '倒置' }, geometry: { type: 'Point', coordinates: [latB, lonB] } },
  town.point('far', far, { type: 'urban', name: '远郊' }),
  // A polygon beside the points: a shapefile holds one shape type, so two layers.
  {
    type: 'Feature',
    properties: { id: 'block', type: 'urban', name: '西园' },
    geometry: { type: 'Polygon', coordinates: [[town.at('e'), town.between('e', 'f', 0.2), town.between('a', 'b', 0.2), town.at('a'), town.at('e')]] },
  },
]);
const body = { network: town.network, communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD };

let app: FastifyInstance;
let dir: string;
beforeAll(async () => {
  app = testApp();
  await app.ready();
  dir = mkdtempSync(join(tmpdir(), 'lifecircle-gis-exports-'));
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown, accept?: string) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers: accept ? { accept } : {} });
const csvRows = (text: string) => {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, '')).filter((r) => r.length > 1);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};
const today = () => new Date().toISOString().slice(0, 10);

describe('no silent defaults', () => {
  it('refuses a request with its own network and no facilities, saying which input is missing', async () => {
    const { facilities: _f, ...withoutFacilities } = body;
    const res = await post('/v1/coverage', withoutFacilities);
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'facilities' });
    expect(problemIn(res).detail).toMatch(/^facilities: is required when the request brings its own network/);
  });

  it('names the network, facilities and communities every answer used, with counts', async () => {
    const report = (await post('/v1/coverage', body)).json();
    expect(report.inputs).toEqual({
      network: { source: 'inline', dataset: null, name: 'inline', nodes: expect.any(Number), edges: expect.any(Number) },
      facilities: { source: 'inline', dataset: null, features: 3, used: 3 },
      communities: { source: 'inline', dataset: null, features: 4, used: 2 },
    });
    const times = (await post('/v1/travel-times', { network: town.network, origins: fc([town.point('o', town.at('b'), {})]), targets: TOWN_FACILITIES, maxMinutes: 10 })).json();
    expect(times.inputs).toMatchObject({ network: { source: 'inline' }, origins: { features: 1, used: 1 }, targets: { features: 3, used: 3 } });
  });

  it('answers 422 NO_USABLE_INPUT, feature by feature, when nothing could be used', async () => {
    const unusable = fc([communities.features[1], communities.features[2]]);
    const res = await post('/v1/coverage', { ...body, communities: unusable });
    expect(res.statusCode).toBe(422);
    const problem = problemIn(res);
    expect(problem.code).toBe('NO_USABLE_INPUT');
    expect(problem.errors!.map((e: any) => [e.what, e.index, e.id])).toEqual([['communities', 0, 'swapped'], ['communities', 1, 'far']]);
    expect(problem.errors!.every((e: any) => e.message.length > 0)).toBe(true);

    const origins = fc([town.point('lost', far, {})]);
    for (const [url, extra] of [['/v1/isochrones', { minutes: [5] }], ['/v1/travel-times', { targets: TOWN_FACILITIES, maxMinutes: 5 }], ['/v1/route', { targets: TOWN_FACILITIES, maxMinutes: 5 }]] as const) {
      const answer = await post(url, { network: town.network, origins, ...extra });
      expect(answer.statusCode, url).toBe(422);
      expect(problemIn(answer), url).toMatchObject({ code: 'NO_USABLE_INPUT', where: 'origins', errors: [{ what: 'origins', index: 0, id: 'lost' }] });
    }
  });
});

describe('exports that lose nothing', () => {
  it('CSV: a row for every community (the unreadable one with its error), the assumptions in columns, a named download', async () => {
    const res = await post('/v1/coverage', body, 'text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="lifecircle-coverage_small-town_walk_5min_${today()}.csv"`);
    const rows = csvRows(res.body);
    expect([...new Set(rows.map((r) => r.community_id))]).toEqual(['good', 'far', 'block', 'swapped']);
    const swapped = rows.filter((r) => r.community_id === 'swapped');
    expect(swapped).toHaveLength(1);
    expect(swapped[0]).toMatchObject({ status: 'not_assessed', error: expect.stringContaining('feature 1') });
    // The one far from the network: read, but none of its homes reaches a road; its row says why.
    expect(rows.filter((r) => r.community_id === 'far')).toEqual([expect.objectContaining({ status: 'not_assessed', error: expect.stringMatching(/.+/), origin: 'homes' })]);
    const assessed = rows.filter((x) => x.status !== 'not_assessed');
    expect(new Set(assessed.map((r) => r.community_id))).toEqual(new Set(['good', 'block']));
    for (const r of assessed) {
      expect([r.standard_id, r.mode, r.minutes, r.met_share, r.origin]).toEqual(['small-town', 'walk', '5', '0.8', 'homes']);
    }
  });

  it('CSV ?sheet=communities: one row per community and standard, with share met, pass and missing items', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/coverage?sheet=communities', payload: body });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('_communities_');
    const rows = csvRows(res.body);
    expect(rows.map((r) => r.community_id)).toEqual(['good', 'far', 'block', 'swapped']);
    const report = (await post('/v1/coverage', body)).json();
    const good = report.communities.find((c: any) => c.id === 'good').standards[0];
    expect(rows[0]).toMatchObject({
      standard_id: 'small-town', items_met: String(good.met), items_total: String(good.total), share: String(good.share), pass: String(good.pass),
      missing_zh: good.missing.map((m: any) => m.zh).join('；'), origin: 'homes', met_share: '0.8',
    });
  });

  it('GeoJSON: every community (the unreadable one with a null geometry and its error), summary and assumptions as members', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/coverage?format=geojson', payload: body });
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const map = res.json();
    expect(map.features.map((f: any) => f.id)).toEqual(['good', 'far', 'block', 'swapped']);
    const swapped = map.features[3];
    expect(swapped.geometry).toBeNull();
    expect(swapped.properties).toMatchObject({ id: 'swapped', status: 'not_assessed', error: expect.any(String) });
    expect(map.assumptions).toEqual({ standards: [{ id: 'small-town', mode: 'walk', minutes: 5 }], origin: 'homes', metShare: 0.8 });
    expect(map.summary.standards[0].standardId).toBe('small-town');
    expect(map.inputs.communities).toMatchObject({ features: 4, used: 2 });
    // Coordinates to 7 decimals at most, everywhere.
    const decimals = [...res.body.matchAll(/-?\d+\.(\d+)/g)].filter((m) => res.body.slice(m.index! - 20, m.index!).includes('coordinates') || /\[\s*$/.test(res.body.slice(m.index! - 2, m.index!)));
    expect(decimals.length).toBeGreaterThan(0);
    expect(Math.max(...decimals.map((m) => m[1].length))).toBeLessThanOrEqual(7);
  });

  it('refuses a format the endpoint does not offer, by name', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/isochrones?format=csv', payload: { network: town.network, origins: fc([town.point('o', town.at('b'), {})]), minutes: [5] } });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'format' });
  });
});

describe('travel times as a table and as lines', () => {
  const origins = fc([town.point('o1', town.at('b'), { name: '起点一' }), town.point('o2', far, { name: '远处' })]);
  const request = { network: town.network, origins, targets: TOWN_FACILITIES, maxMinutes: 10 };

  it('CSV: one row per origin–target pair reached, with ids and names, and a row for the origin that could not be placed', async () => {
    const json = (await post('/v1/travel-times', request)).json();
    const res = await post('/v1/travel-times', request, 'text/csv');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="lifecircle-travel-times_walk_10min_${today()}.csv"`);
    const rows = csvRows(res.body);
    const pairs = rows.filter((r) => r.error === '');
    expect(pairs.map((r) => [r.origin_id, r.target_id, Number(r.minutes)])).toEqual(json.origins[0].reachable.map((r: any) => ['o1', r.targetId, r.minutes]));
    expect(pairs[0]).toMatchObject({ origin_name: '起点一', target_name: pairs[0].target_id === 'clinic-1' ? '社区卫生站' : '' });
    expect(rows.filter((r) => r.error !== '')).toEqual([expect.objectContaining({ origin_id: 'o2', origin_name: '远处', target_id: '' })]);
  });

  it('GeoJSON: a line from the origin to each target it reaches, with the minutes', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/travel-times?format=geojson', payload: request });
    const map = res.json();
    const json = (await post('/v1/travel-times', request)).json();
    expect(map.features).toHaveLength(json.origins[0].reachable.length);
    const first = map.features[0];
    expect(first.geometry.type).toBe('LineString');
    expect(first.geometry.coordinates[0]).toEqual(town.at('b').map((v: number) => Math.round(v * 1e7) / 1e7));
    expect(first.properties).toMatchObject({ origin_id: 'o1', origin_name: '起点一', target_id: json.origins[0].reachable[0].targetId, minutes: json.origins[0].reachable[0].minutes });
    expect(map.origins).toBeUndefined();
  });
});

describe.skipIf(!HAS_GDAL)('shapefiles and GeoPackages, as GDAL reads them', () => {
  /** Writes the answer to a file and has ogrinfo list it; its warnings are failures too. */
  function ogrinfo(name: string, bytes: Buffer, args: string[] = ['-al', '-q'], layers: string[] = []): string {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const source = name.endsWith('.zip') ? `/vsizip/${path}` : path;
    const run = spawnSync('ogrinfo', ['-ro', ...args, source, ...layers], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr, 'ogrinfo warnings').not.toMatch(/warning|error/i);
    return run.stdout;
  }

  it('coverage as a zipped shapefile: one layer per geometry type, short unique fields with their table, .prj and .cpg, NULL as NULL', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/coverage?format=shp', payload: body });
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="lifecircle-coverage_small-town_walk_5min_${today()}.shp.zip"`);
    const layers = ogrinfo('coverage.zip', res.rawPayload, ['-so', '-q']);
    for (const layer of ['communities_points', 'communities_polygons', 'items', 'community_standards', 'assumptions']) expect(layers).toContain(layer);
    const points = ogrinfo('coverage.zip', res.rawPayload, ['-q'], ['communities_points']);
    // The points layer: good and far on points, swapped (no geometry) with its error; names in UTF-8.
    expect(points).toContain('北苑');
    expect(points).toMatch(/OGRFeature\(communities_points\):\d+\n\s+id \(String\) = swapped/);
    expect(points).toMatch(/population \(Integer\) = \(null\)/);
    expect(points).toMatch(/POINT \(113\.\d{1,7} 23\.\d{1,7}\)/);
    expect(points).toMatch(/s1_pass \(Integer\) = [01]/);
    // The WGS84 .prj: GDAL knows its datum.
    const info = spawnSync('ogrinfo', ['-ro', '-so', `/vsizip/${join(dir, 'coverage.zip')}`, 'communities_polygons'], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/WGS[ _]84/);
    // Every field name ≤ 10 characters, unique, and the table maps each back to its property.
    const table = spawnSync('unzip', ['-p', join(dir, 'coverage.zip'), 'coverage_fields.csv'], { encoding: 'utf8' });
    if (table.status === 0) {
      const fields = csvRows(table.stdout).filter((r) => r.layer === 'communities_points');
      expect(fields.every((f) => f.field.length <= 10)).toBe(true);
      expect(new Set(fields.map((f) => f.field.toLowerCase())).size).toBe(fields.length);
      expect(fields.find((f) => f.property === 'small-town:missing_zh')).toMatchObject({ field: 's1_miss_zh' });
    }
  });

  it('coverage as a GeoPackage: full field names, every community, the same NULLs', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/coverage', payload: body, headers: { accept: 'application/geopackage+sqlite3' } });
    expect(res.headers['content-type']).toBe('application/geopackage+sqlite3');
    const out = ogrinfo('coverage.gpkg', res.rawPayload, ['-al', '-q']);
    expect(out.match(/OGRFeature\(communities\)/g)).toHaveLength(4);
    expect(out).toContain('small-town:missing_zh (String)');
    expect(out).toMatch(/id \(String\) = swapped[\s\S]*?population \(Integer64\) = \(null\)/);
    expect(out.match(/OGRFeature\(assumptions\)/g)).toHaveLength(1);
  });

  it('isochrones (polygons and the snapped origins) as a shapefile ogr2ogr converts, and as a GeoPackage', async () => {
    const payload = { network: town.network, origins: fc([town.point('o1', town.at('b'), {}), town.point('lost', far, {})]), minutes: [3, 5] };
    const shp = await app.inject({ method: 'POST', url: '/v1/isochrones?format=shp', payload });
    const out = ogrinfo('isochrones.zip', shp.rawPayload, ['-al', '-q']);
    expect(out.match(/OGRFeature\(isochrones\)/g)).toHaveLength(2);
    expect(out.match(/OGRFeature\(origins\)/g)).toHaveLength(2); // the snapped one, and the lost one with its error
    expect(out).toMatch(/MULTIPOLYGON|POLYGON/);
    const converted = spawnSync('ogr2ogr', ['-f', 'GeoJSON', join(dir, 'iso.geojson'), `/vsizip/${join(dir, 'isochrones.zip')}`, 'isochrones'], { encoding: 'utf8' });
    expect(converted.status, converted.stderr).toBe(0);
    const gpkg = await app.inject({ method: 'POST', url: '/v1/isochrones?format=gpkg', payload });
    expect(ogrinfo('isochrones.gpkg', gpkg.rawPayload, ['-so', '-q'])).toMatch(/isochrones[\s\S]*origins/);
  });

  it('the GeoJSON answer opens in GDAL as it is', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/coverage?format=geojson', payload: body });
    const out = ogrinfo('coverage.geojson', res.rawPayload, ['-al', '-q']);
    expect(out.match(/OGRFeature\(/g)).toHaveLength(4);
  });
});
