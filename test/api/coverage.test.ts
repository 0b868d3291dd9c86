import type { FastifyInstance } from 'fastify';
import gcoordModule from 'gcoord';
import type { Feature, Position } from 'geojson';
import proj4 from 'proj4';
import { convertGeometry } from '../../src/core/geo/crs.ts';
import { parseCsv } from '../../src/core/io/csv-points.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

/*
 * POST /v1/coverage on the small town of test/coverage/small-town.test.ts, sent inline: the core's
 * answers are tested there; here, what the API makes of them (formats, crs, errors).
 *
 * 50 m per character; walking 4.5 km/h = 75 m a minute, so the 5-minute circle reaches 375 m.
 */
const STANDARD = SMALL_TOWN_STANDARD;
const facilities = TOWN_FACILITIES;

/** A square of `halfM` metres around a point, as a community polygon. */
function square(id: string, [lon, lat]: [number, number], halfM: number, properties: Record<string, unknown>): Feature {
  const dLat = halfM / 111_195;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const ring = [[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]];
  return { type: 'Feature', properties: { id, ...properties }, geometry: { type: 'Polygon', coordinates: [ring] } };
}

const communities = fc([
  // At b: the clinic 100 m away; the park 400 m (outside). Declares the volunteer programme.
  town.point('north', town.at('b'), { type: 'urban', name: '北苑', district: '越秀区', services: ['volunteers'], population: 1000 }),
  // At f: the park 150 m, the clinic 350 m; declares both: passes.
  town.point('south', town.at('f'), { type: 'urban', name: '南苑', district: '越秀区', services: ['app', 'volunteers'], population: 3000 }),
  // At h: nothing within 375 m. Its name needs quoting in CSV.
  town.point('east', town.at('h'), { type: 'urban', name: '东山, "新村"', district: '海珠区', population: 500 }),
  // A compound around e: its representative point is e; the park is 450 m away.
  square('west', town.at('e'), 20, { type: 'urban', name: '西园', district: '海珠区' }),
]);
const body = { network: town.network, communities, facilities, standard: STANDARD };

let app: FastifyInstance;
beforeAll(async () => {
  app = testApp();
  await app.ready();
});
afterAll(() => app.close());

const post = (payload: unknown, accept?: string) =>
  app.inject({ method: 'POST', url: '/v1/coverage', payload: payload as object, headers: accept ? { accept } : {} });
const statuses = (community: any) => Object.fromEntries(community.standards[0].items.map((i: any) => [i.itemId, i.status]));

describe('POST /v1/coverage: the JSON report', () => {
  it('answers every community with its items, statuses and nearest facilities', async () => {
    const res = await post(body);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const report = res.json();
    expect(report.standards).toEqual([
      { id: 'small-town', name: STANDARD.name, communityType: 'urban', level: 'basic', mode: 'walk', minutes: 5 },
    ]);
    expect(report.overrides).toEqual({});
    expect(report.errors).toEqual({ communities: [], facilities: [], homes: [], declarations: [] });
    expect(report.facilities).toEqual({ count: 3, unplaced: [] });
    expect(report.communities.map((c: any) => c.id)).toEqual(['north', 'south', 'east', 'west']);
    const [north, south, east, west] = report.communities;
    expect(north).toMatchObject({ name: '北苑', type: 'urban', district: '越秀区', population: 1000, homes: { rule: 'point', count: 1, placed: 1, gates: 0 } });
    expect(statuses(north)).toEqual({ clinic: 'met', park: 'unmet', volunteers: 'declared', app: 'not_declared' });
    expect(statuses(south)).toEqual({ clinic: 'met', park: 'met', volunteers: 'declared', app: 'declared' });
    expect(statuses(east)).toEqual({ clinic: 'unmet', park: 'unmet', volunteers: 'not_declared', app: 'not_declared' });
    expect(statuses(west)).toEqual({ clinic: 'unmet', park: 'unmet', volunteers: 'not_declared', app: 'not_declared' });
    // A polygon without homes given: homes on a grid inside it, each walking to its nearest road.
    expect(west.homes).toMatchObject({ rule: 'grid', gates: 0 });
    expect(west.homes.placed).toBe(west.homes.count);

    const result = north.standards[0];
    expect(result).toMatchObject({ standardId: 'small-town', level: 'basic', mode: 'walk', speedKmh: 4.5, minutes: 5, pass: false, met: 2, total: 4, share: 0.5 });
    expect(result.missing).toEqual([
      { itemId: 'park', zh: '口袋公园', en: 'Pocket park' },
      { itemId: 'app', zh: '网上办事大厅', en: 'Online service hall' },
    ]);
    expect(result.items[0]).toEqual({
      itemId: 'clinic', group: 'public', number: 1, zh: '基本医疗服务', en: 'Basic medical care', kind: 'place', status: 'met',
      // One home (a Point), 100 m from the clinic at 4.5 km/h.
      residentsShare: 1, homes: 1, medianMinutes: expect.closeTo(100 / 75, 2), worstMinutes: expect.closeTo(100 / 75, 2), reachableCount: 1,
      nearest: { facilityId: 'clinic-1', name: '社区卫生站', category: 'clinic', minutes: expect.closeTo(100 / 75, 2), meters: 100, accessM: 0 },
    });
    expect(result.items[2]).toEqual({ itemId: 'volunteers', group: 'community', number: 1, zh: '志愿服务团队', en: 'Volunteer teams, "Red Vests"', kind: 'programme', status: 'declared' });
    expect(south.standards[0]).toMatchObject({ pass: true, share: 1, missing: [] });
  });

  it('summarises the town against the target, its milestones and by district, items worst first', async () => {
    const summary = (await post(body)).json().summary;
    expect(summary.communities).toEqual({ total: 4, urban: 4, rural: 0, withPopulation: 3 });
    // West has no population: said, with the people the weighted shares rest on.
    expect(summary.warnings).toEqual(['1 of 4 communities have no population: population-weighted shares rest on the 4500 people of the other 3']);
    expect(summary.standards).toHaveLength(1);
    const s = summary.standards[0];
    expect(s).toMatchObject({
      standardId: 'small-town', communityType: 'urban', level: 'basic', communities: 4, passing: 1, share: 0.25, notAssessed: [],
      population: { total: 4500, passing: 3000, share: 0.6667, communities: 3, missing: 1 },
    });
    // One in four meets it: the first milestone (25%) is reached, the target (50%) is one community short.
    expect(s.target).toEqual({
      share: 0.5, met: false, communitiesShort: 1,
      milestones: [{ date: '2024-12-31', share: 0.25, reached: true }, { date: '2025-12-31', share: 0.5, reached: false }],
    });
    const byDistrict = Object.fromEntries(s.byDistrict.map((d: any) => [d.district, [d.communities, d.passing, d.share]]));
    expect(byDistrict).toEqual({ 越秀区: [2, 1, 0.5], 海珠区: [2, 0, 0] });
    expect(s.items.map((i: any) => i.itemId)).toHaveLength(4);
    const shares = s.items.map((i: any) => i.share);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(s.items.find((i: any) => i.itemId === 'clinic')).toMatchObject({ zh: '基本医疗服务', communities: 4, reaching: 2, share: 0.5 });
    expect(s.items[0]).toMatchObject({ share: 0.25 });
  });

  it('assesses a shipped standard by id, alongside the custom one: the clinic item is met where the town has one', async () => {
    const res = await post({ ...body, standards: ['guangzhou-2020-urban-basic'] });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.standards.map((s: any) => [s.id, s.mode, s.minutes])).toEqual([['guangzhou-2020-urban-basic', 'walk', 15], ['small-town', 'walk', 5]]);
    const north = report.communities[0];
    const basic = north.standards.find((s: any) => s.standardId === 'guangzhou-2020-urban-basic');
    expect(basic.items).toHaveLength(34);
    // 15 minutes reach 1125 m: the whole town. Place items whose categories the town has are met.
    const town = new Set(['clinic', 'hospital', 'park']);
    const standard = (await app.inject({ method: 'GET', url: '/v1/standards/guangzhou-2020-urban-basic' })).json();
    for (const [i, item] of basic.items.entries()) {
      const categories: string[] = standard.items[i].categories ?? [];
      // An item none of whose categories the town has at all is a data gap, not out of reach.
      if (item.kind === 'place') expect([item.itemId, item.status]).toEqual([item.itemId, categories.some((c) => town.has(c)) ? 'met' : 'no_facility']);
      else expect(item.status).toBe('not_declared');
    }
    expect(basic.items.filter((i: any) => i.status === 'met').length).toBeGreaterThan(0);
  });
});

describe('POST /v1/coverage: custom standards', () => {
  it('takes a list of them as well as one (as large bodies in a worker always did)', async () => {
    const second = { ...STANDARD, id: 'small-town-10', minutes: 10 };
    const res = await post({ ...body, standard: [STANDARD, second] });
    expect(res.statusCode).toBe(200);
    expect(res.json().standards.map((s: any) => [s.id, s.minutes])).toEqual([['small-town', 5], ['small-town-10', 10]]);
  });
});

describe('POST /v1/coverage: other formats by Accept', () => {
  it('application/geo+json: the communities as a map, status as properties, coloured by the share of items met', async () => {
    const res = await post(body, 'application/geo+json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const map = res.json();
    expect(map.type).toBe('FeatureCollection');
    expect(map.features.map((f: any) => [f.id, f.geometry.type])).toEqual([['north', 'Point'], ['south', 'Point'], ['east', 'Point'], ['west', 'Polygon']]);
    const [north, south, east, west] = map.features;
    expect(north.properties).toMatchObject({
      id: 'north', name: '北苑', type: 'urban', district: '越秀区',
      'small-town:pass': false, 'small-town:share': 0.5, 'small-town:met': '2/4',
      'small-town:missing_zh': '口袋公园；网上办事大厅', 'small-town:missing_en': 'Pocket park; Online service hall',
      title: '北苑: 2/4 items (50%)',
    });
    // Coordinates to 7 decimals (≈ 1 cm) in every output.
    expect(north.geometry.coordinates).toEqual(town.at('b').map((v: number) => Math.round(v * 1e7) / 1e7));
    // Red (none) → yellow (half) → green (all): points get marker-color, polygons fill.
    expect([north, south, east].map((f: any) => f.properties['marker-color'])).toEqual(['#fee08b', '#1a9850', '#d73027']);
    expect(south.properties['small-town:pass']).toBe(true);
    expect(west.properties).toMatchObject({ fill: '#d73027', 'fill-opacity': 0.6, stroke: '#333333' });
    expect(west.properties['marker-color']).toBeUndefined();
  });

  it('text/csv: UTF-8 with a byte-order mark, one row per community × standard × item, Chinese intact, quotes parse', async () => {
    const res = await post({ ...body, standards: ['guangzhou-2020-urban-basic'] }, 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.rawPayload.toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header.slice(0, 14)).toEqual([
      'community_id', 'community_name', 'community_type', 'district', 'subdistrict', 'standard_id', 'mode', 'minutes',
      'group', 'item_id', 'item_zh', 'item_en', 'kind', 'status',
    ]);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    expect(rows).toHaveLength(4 * (34 + 4));
    const col = (name: string) => header.indexOf(name);
    const row = (community: string, standard: string, item: string) =>
      rows.find((r) => r[col('community_id')] === community && r[col('standard_id')] === standard && r[col('item_id')] === item)!;
    const clinic = row('north', 'small-town', 'clinic');
    expect(clinic[col('item_zh')]).toBe('基本医疗服务');
    expect(clinic[col('community_name')]).toBe('北苑');
    expect(clinic[col('status')]).toBe('met');
    expect(clinic[col('nearest_facility_name')]).toBe('社区卫生站');
    expect(Number(clinic[col('nearest_meters')])).toBe(100);
    expect(row('east', 'small-town', 'clinic')[col('community_name')]).toBe('东山, "新村"');
    expect(row('east', 'small-town', 'volunteers')[col('item_en')]).toBe('Volunteer teams, "Red Vests"');
    expect(row('north', 'guangzhou-2020-urban-basic', 'party-1')[col('item_zh')]).toBe('社区党群服务中心');
    expect(new Set(rows.map((r) => r[col('status')]))).toEqual(new Set(['met', 'unmet', 'no_facility', 'declared', 'not_declared']));
  });

  it('takes the format the client prefers (q values), JSON when it asks for none it knows', async () => {
    const geo = await post(body, 'text/csv;q=0.5, application/geo+json');
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    const other = await post(body, 'text/html');
    expect(other.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('POST /v1/coverage: crs', () => {
  const toGcj = ([lon, lat]: Position): [number, number] => gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  const shifted = (collection: any) => ({
    ...collection,
    features: collection.features.map((f: any) => ({
      ...f,
      geometry: f.geometry.type === 'Point' ? { ...f.geometry, coordinates: toGcj(f.geometry.coordinates) } : { ...f.geometry, coordinates: [f.geometry.coordinates[0].map(toGcj)] },
    })),
  });
  const gcjBody = { ...body, communities: shifted(communities), facilities: shifted(facilities) };

  it('gcj02: communities and facilities given in GCJ-02 get the answer of their WGS84 points', async () => {
    // Guangzhou's GCJ-02 offset is several hundred metres: the test would see a wrong conversion.
    const [lon, lat] = toGcj(town.at('b'));
    expect(Math.hypot((lon - town.at('b')[0]) * 102_000, (lat - town.at('b')[1]) * 111_000)).toBeGreaterThan(300);

    const wgs = (await post(body)).json();
    const res = await post({ ...gcjBody, crs: 'gcj02' });
    expect(res.statusCode).toBe(200);
    const gcj = res.json();
    expect(gcj.communities.map(statuses)).toEqual(wgs.communities.map(statuses));
    const nearest = (report: any) => report.communities.flatMap((c: any) => c.standards[0].items.map((i: any) => [i.nearest?.facilityId, i.nearest?.meters]));
    const [a, b] = [nearest(gcj), nearest(wgs)];
    expect(a.map((x: any) => x[0])).toEqual(b.map((x: any) => x[0]));
    a.forEach((x: any, i: number) => x[1] !== undefined && expect(Math.abs(x[1] - b[i][1])).toBeLessThanOrEqual(1));
    expect(gcj.summary.standards[0]).toEqual(wgs.summary.standards[0]);
  });

  it('the same coordinates read as WGS84 land elsewhere: the crs is what makes the answers agree', async () => {
    const res = await post(gcjBody);
    const report = res.json();
    const answered = report.communities.filter((c: any) => !c.error);
    expect(answered.map(statuses)).not.toEqual((await post(body)).json().communities.map(statuses));
  });

  it('answers an unknown crs with 400 naming it, with a did-you-mean', async () => {
    const res = await post({ ...body, crs: 'epsg3857' });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({
      code: 'INVALID_PARAMETER',
      where: 'crs',
      detail: 'crs: got "epsg3857", expected a coordinate system such as "EPSG:4547", "urn:ogc:def:crs:EPSG::4547", "urn:ogc:def:crs:OGC:1.3:CRS84" or one of wgs84, gcj02, bd09, cgcs2000 (did you mean "EPSG:3857"?)',
    });
  });

  // The projection written out here, not taken from src/core/geo/epsg.ts: CGCS2000 3-degree Gauss–Krüger
  // CM 114E is a transverse Mercator on GRS80, scale 1, 500 km false easting.
  const GK114 = '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';
  const toGk = proj4('WGS84', GK114);
  const projected = (collection: any, crs?: string) => ({
    ...collection,
    ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
    features: collection.features.map((f: any) => ({ ...f, geometry: convertGeometry(f.geometry, { toWgs84: (x: number, y: number) => toGk.forward([x, y]) as [number, number] } as any) })),
  });
  const gkBody = { ...body, communities: projected(communities, 'urn:ogc:def:crs:EPSG::4547'), facilities: projected(facilities, 'urn:ogc:def:crs:EPSG::4547') };

  it('EPSG:4547 (ogr2ogr -t_srs EPSG:4547): the same answer as its WGS84 twin, and says it is WGS84', async () => {
    expect(gkBody.communities.features[0].geometry.coordinates[0]).toBeGreaterThan(400_000);
    const wgs = (await post(body)).json();
    const res = await post(gkBody);
    expect(res.statusCode).toBe(200);
    const gk = res.json();
    expect(gk.crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } });
    expect(gk.communities.map(statuses)).toEqual(wgs.communities.map(statuses));
    expect(gk.errors).toEqual(wgs.errors);
    expect(gk.summary).toEqual(wgs.summary);
    const nearest = (report: any) => report.communities.flatMap((c: any) => c.standards[0].items.map((i: any) => [i.nearest?.facilityId, i.nearest?.meters]));
    nearest(gk).forEach(([id, m]: [string, number], i: number) => {
      expect(id).toBe(nearest(wgs)[i][0]);
      if (m !== undefined) expect(Math.abs(m - nearest(wgs)[i][1])).toBeLessThanOrEqual(0.1);
    });
    // The crs as a parameter instead of a member: the same.
    const asParam = await post({ ...body, communities: projected(communities), facilities: projected(facilities), crs: 'EPSG:4547' });
    expect(asParam.json().communities.map(statuses)).toEqual(wgs.communities.map(statuses));
  });

  it('a crs parameter that contradicts a collection\'s member: 400 naming both', async () => {
    const res = await post({ ...gkBody, crs: 'EPSG:3857' });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({
      code: 'INVALID_PARAMETER',
      where: 'crs',
      detail: 'crs: the request says EPSG:3857 (WGS 84 / Pseudo-Mercator) but communities says EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E) in its crs member: remove one, or make them agree',
    });
  });

  it('a projected file sent without its crs: one 400 saying so, not an error per feature', async () => {
    const res = await post({ ...body, communities: projected(communities) });
    expect(res.statusCode).toBe(400);
    const problem = problemIn(res);
    expect(problem).toMatchObject({ code: 'INVALID_GEOJSON', where: 'communities' });
    expect(problem.detail).toMatch(/^communities: the coordinates look projected \(metres, e\.g\. \[\d+\.\d+, \d+\.\d+\] in feature 0 \(id "north"\)\), not longitude\/latitude: say which system they are in with `crs` \(e\.g\. "crs": "EPSG:4547"\) or a crs member in the collection$/);
  });

  it('a crs member nobody knows: 400 naming it', async () => {
    const res = await post({ ...body, facilities: { ...facilities, crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2383' } } } });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'facilities.crs', detail: expect.stringMatching(/^facilities\.crs: got "urn:ogc:def:crs:EPSG::2383", a coordinate system this service does not convert/) });
  });
});

describe('POST /v1/coverage: errors', () => {
  it('a custom standard with a bad category: 400 naming standard.items[0].categories[0]', async () => {
    const items = [{ ...STANDARD.items[0], categories: ['clinc'] }, ...STANDARD.items.slice(1)];
    const res = await post({ ...body, standard: { ...STANDARD, items } });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({
      code: 'INVALID_PARAMETER', where: 'standard', detail: 'standard.items[0].categories[0]: "clinc" is not a facility category (did you mean "clinic"?)',
    });
  });

  it('an unknown standard id: 400 naming it and the known ones', async () => {
    const res = await post({ ...body, standard: undefined, standards: ['guangzhou-2020-urban-basic', 'guangzhou-2020-urbn-quality'] });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({
      code: 'INVALID_PARAMETER',
      where: 'standards[1]',
      detail: expect.stringMatching(/^standards\[1\]: "guangzhou-2020-urbn-quality" is not a known standard \(did you mean "guangzhou-2020-urban-quality"\?\); the standards are guangzhou-2020-urban-basic, /),
    });
  });

  it('a community with bad geometry is reported in errors.communities; the others are answered', async () => {
    const broken = [
      { type: 'Feature', properties: { id: 'nowhere', type: 'urban' }, geometry: { type: 'Point', coordinates: [null, null] } },
      { type: 'Feature', properties: { id: 'road', type: 'urban' }, geometry: { type: 'LineString', coordinates: [town.at('a'), town.at('b')] } },
    ];
    const res = await post({ ...body, communities: fc([...communities.features, ...broken]) });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.communities.map((c: any) => c.id)).toEqual(['north', 'south', 'east', 'west']);
    expect(report.errors.communities).toEqual([
      { index: 4, id: 'nowhere', message: expect.stringContaining('feature 4 (id "nowhere")') },
      { index: 5, id: 'road', message: 'feature 5 (id "road"): geometry type LineString: expected Point, MultiPoint, Polygon or MultiPolygon' },
    ]);
    expect(report.summary.communities.total).toBe(4);
  });

  it('a community too far from any road is answered with its error, and counted as not assessed', async () => {
    const far = town.point('far', [town.at('d')[0] + 0.05, town.at('d')[1]], { type: 'urban' });
    const report = (await post({ ...body, communities: fc([...communities.features, far]) })).json();
    const answer = report.communities.find((c: any) => c.id === 'far');
    expect(answer).toMatchObject({ error: expect.stringContaining('no home of community "far" is within 500 m'), standards: [] });
    // Still counted, as not passing, and listed with its reason.
    expect(report.summary.standards[0]).toMatchObject({ communities: 5, notAssessed: [{ id: 'far', reason: expect.stringContaining('no home of community "far"') }] });
  });

  it.each([
    ['missing communities', { network: town.network, facilities, standard: STANDARD }, 'communities', 'communities: is required'],
    ['standards that are not an array', { ...body, standards: 'x' }, 'standards', 'standards: got "x", expected an array'],
    ['a standard id that is not a string', { ...body, standards: [3] }, 'standards[0]', 'standards[0]: got 3, expected a string'],
    ['an unknown parameter', { ...body, colour: 5 }, 'colour', 'colour: is not a known parameter (check the spelling)'],
    ['a misspelt parameter', { ...body, minute: 5 }, 'minute', 'minute: is not a known parameter (did you mean "minutes"?)'],
    ['minutes out of range', { ...body, minutes: 0 }, 'minutes', 'minutes: got 0, expected a number greater than 0 and at most 180'],
  ])('%s: 400 INVALID_PARAMETER naming the field', async (_, payload, where, detail) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_PARAMETER', where, detail });
  });

  it('communities that are not a FeatureCollection: 400 INVALID_GEOJSON', async () => {
    const res = await post({ ...body, communities: { type: 'Feature' } });
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'communities' });
  });
});
