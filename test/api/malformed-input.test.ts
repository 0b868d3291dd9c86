import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/runtime/requests/params.ts';
import { type Sql } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES } from '../helpers/small-town.ts';
import { fc, problemIn, testApp, town, townNetwork } from './helpers.ts';

/*
 * Malformed input, table-driven, against buildApp (inline town network; uploads on an in-memory
 * store): every case is answered with the right 4xx as a problem document whose detail names the
 * problem (and the feature, where there is one) — or, where the service answers the rest of the
 * request, a 200 whose per-feature error names the feature's index and id. Never a 5xx; and the app
 * still answers a normal request afterwards.
 */
const KEY = 'malformed-input-key-0123456789';
const BODY_LIMIT = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-malformed-'));
let sql: Sql;
let app: FastifyInstance;
beforeAll(async () => {
  sql = await sharedStore();
  // workerThresholdBytes Infinity: everything parsed on the main thread (the worker path is errors.test's).
  app = testApp({ bodyLimitBytes: BODY_LIMIT, workerThresholdBytes: Infinity, store: sql, dataDir: dir, apiKeys: [{ name: 'tester', key: KEY }], runJobs: false, uploadLimitBytes: 100_000 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const A = town.point('A', town.at('a'));
const urban = (id: string, at: [number, number]) => town.point(id, at, { type: 'urban' });
const [ex, ey] = town.at('e');
const D = 0.0005;
const square = (id: string, close = true) => ({
  type: 'Feature',
  properties: { id, type: 'urban' },
  geometry: { type: 'Polygon', coordinates: [[[ex, ey], [ex + D, ey], [ex + D, ey + D], [ex, ey + D], ...(close ? [[ex, ey]] : [])]] },
});
const road = (coordinates: unknown) => ({ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates } });
const withRoads = (...extra: unknown[]) => ({ type: 'FeatureCollection', features: [...townNetwork.features, ...extra] });
const iso = (origins: unknown, extra: Record<string, unknown> = {}) => ({ network: townNetwork, origins, minutes: [3], ...extra });
const cov = (communities: unknown, extra: Record<string, unknown> = {}) => ({ network: townNetwork, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, communities, ...extra });
/** GCJ-02 coordinates given in projected metres (Web Mercator of Guangzhou), not degrees. */
const METRES: [number, number] = [12600000, 2600000];

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

interface ProblemCase {
  name: string;
  url: string;
  body: unknown;
  status: number;
  code: string;
  detail: RegExp;
  where?: string;
  featureIndex?: number;
  headers?: Record<string, string>;
}

const problems: ProblemCase[] = [
  // Not JSON, or not an object.
  { name: 'invalid JSON', url: '/v1/isochrones', body: '{"origins": [1,', status: 400, code: 'INVALID_JSON', detail: /^request body is not valid JSON: / },
  { name: 'a NaN literal (not JSON)', url: '/v1/isochrones', body: `{"origins": {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[NaN, 23]}}]}}`, status: 400, code: 'INVALID_JSON', detail: /not valid JSON: .*NaN/ },
  { name: 'JSON that is a string', url: '/v1/isochrones', body: '"hello"', status: 400, code: 'INVALID_PARAMETER', detail: /^body: got "hello", expected an object$/, where: 'body' },
  { name: 'JSON that is a number', url: '/v1/coverage', body: '42', status: 400, code: 'INVALID_PARAMETER', detail: /^body: got 42, expected an object$/, where: 'body' },
  { name: 'JSON null', url: '/v1/travel-times', body: 'null', status: 400, code: 'INVALID_PARAMETER', detail: /^body: got null, expected an object$/, where: 'body' },
  { name: 'a JSON array', url: '/v1/coverage', body: '[1, 2]', status: 400, code: 'INVALID_PARAMETER', detail: /^body: got an array, expected an object$/, where: 'body' },
  // Inputs that are not FeatureCollections, or empty where emptiness means nothing can be computed.
  { name: 'a network that is a Feature', url: '/v1/isochrones', body: { ...iso(fc(A)), network: { type: 'Feature' } }, status: 400, code: 'INVALID_GEOJSON', detail: /^network: expected a GeoJSON FeatureCollection, got a Feature/, where: 'network' },
  { name: 'an empty network FeatureCollection', url: '/v1/isochrones', body: { ...iso(fc(A)), network: fc() }, status: 400, code: 'EMPTY_NETWORK', detail: /^network: no usable road in 0 line\(s\)/, where: 'network' },
  { name: 'a network of a Polygon only', url: '/v1/isochrones', body: { ...iso(fc(A)), network: fc(square('p') as any) }, status: 400, code: 'EMPTY_NETWORK', detail: /no usable road in 0 line\(s\)/, where: 'network' },
  { name: 'a network in projected metres', url: '/v1/isochrones', body: { ...iso(fc(A)), network: fc(road([METRES, [METRES[0] + 100, METRES[1]]]) as any) }, status: 400, code: 'INVALID_GEOJSON', detail: /^network: the coordinates look projected \(metres, e\.g\. \[12600000, 2600000\] in feature 0\), not longitude\/latitude: give the network the crs member ogr2ogr writes/, where: 'network' },
  { name: 'origins whose features are not an array', url: '/v1/isochrones', body: iso({ type: 'FeatureCollection', features: {} }), status: 400, code: 'INVALID_GEOJSON', detail: /^origins: expected a GeoJSON FeatureCollection of Points/, where: 'origins' },
  // Parameters.
  { name: 'a wrong crs value', url: '/v1/coverage', body: cov(fc(urban('c1', town.at('b'))), { crs: 'epsg:38' }), status: 400, code: 'INVALID_PARAMETER', detail: /^crs: got "epsg:38", a coordinate system this service does not convert; expected EPSG:4326 \(WGS 84\), .*reproject the data first/, where: 'crs' },
  { name: 'a crs nobody knows (isochrones)', url: '/v1/isochrones', body: iso(fc(A), { crs: 'gcj2' }), status: 400, code: 'INVALID_PARAMETER', detail: /^crs: got "gcj2", expected a coordinate system such as .* \(did you mean "gcj02"\?\)$/, where: 'crs' },
  { name: 'a crs member nobody knows (travel-times targets)', url: '/v1/travel-times', body: { network: townNetwork, origins: fc(A), targets: { ...fc(A), crs: { type: 'name', properties: { name: 'EPSG:2000' } } }, maxMinutes: 3 }, status: 400, code: 'INVALID_GEOJSON', detail: /^targets\.crs: got "EPSG:2000", a coordinate system this service does not convert/, where: 'targets.crs' },
  { name: 'an unknown parameter', url: '/v1/travel-times', body: { network: townNetwork, origins: fc(A), targets: fc(A), maxMinutes: 3, maxMinute: 4 }, status: 400, code: 'INVALID_PARAMETER', detail: /^maxMinute: is not a known parameter \(check the spelling\)$/, where: 'maxMinute' },
  { name: 'a missing required field (targets)', url: '/v1/travel-times', body: { network: townNetwork, origins: fc(A), maxMinutes: 3 }, status: 400, code: 'INVALID_PARAMETER', detail: /^targets: is required$/, where: 'targets' },
  { name: 'a missing required field (communities)', url: '/v1/coverage', body: { network: townNetwork, facilities: TOWN_FACILITIES }, status: 400, code: 'INVALID_PARAMETER', detail: /^communities: is required$/, where: 'communities' },
  // The request's shape: a bare FeatureCollection, a misspelt key told beside the one it hides.
  { name: 'a bare FeatureCollection (coverage)', url: '/v1/coverage', body: fc(urban('x', town.at('a'))), status: 400, code: 'INVALID_PARAMETER', detail: /^body: got a bare GeoJSON FeatureCollection, expected an object naming its inputs: wrap it as \{"communities": …\}$/, where: 'body' },
  { name: 'a bare FeatureCollection (isochrones)', url: '/v1/isochrones', body: fc(A), status: 400, code: 'INVALID_PARAMETER', detail: /wrap it as \{"origins": …\}, with minutes beside it$/, where: 'body' },
  { name: 'a bare FeatureCollection (travel-times)', url: '/v1/travel-times', body: fc(A), status: 400, code: 'INVALID_PARAMETER', detail: /wrap it as \{"origins": …\}, with targets and maxMinutes beside it$/, where: 'body' },
  { name: 'a bare Feature (route)', url: '/v1/route', body: A, status: 400, code: 'INVALID_PARAMETER', detail: /^body: got a bare GeoJSON Feature, .*wrap it as \{"origins": …\}/, where: 'body' },
  { name: 'a misspelt required key (communitie)', url: '/v1/coverage', body: { ...cov(fc(urban('x', town.at('a')))), communities: undefined, communitie: fc(urban('x', town.at('a'))) }, status: 400, code: 'INVALID_PARAMETER', detail: /^communitie: is not a known parameter \(did you mean "communities"\?\); communities: is required$/, where: 'communitie' },
  { name: 'a misspelt required key (origin)', url: '/v1/isochrones', body: { network: townNetwork, origin: fc(A), minutes: [3] }, status: 400, code: 'INVALID_PARAMETER', detail: /^origin: is not a known parameter \(did you mean "origins"\?\); origins: is required$/, where: 'origin' },
  { name: 'an unknown key beside a missing one', url: '/v1/travel-times', body: { network: townNetwork, origins: fc(A), maxMinutes: 3, colour: 'red' }, status: 400, code: 'INVALID_PARAMETER', detail: /^colour: is not a known parameter; targets: is required$/, where: 'colour' },
  { name: 'a misspelt optional key', url: '/v1/coverage', body: { ...cov(fc(urban('x', town.at('a')))), facilities: undefined, facilties: TOWN_FACILITIES }, status: 400, code: 'INVALID_PARAMETER', detail: /^facilties: is not a known parameter \(did you mean "facilities"\?\)$/, where: 'facilties' },
  // Limits.
  { name: 'a body over the limit', url: '/v1/isochrones', body: iso(fc(A), { padding: 'x'.repeat(BODY_LIMIT + 1000) }), status: 413, code: 'BODY_TOO_LARGE', detail: new RegExp(`limit of ${BODY_LIMIT} bytes`) },
  {
    name: 'too many origins',
    url: '/v1/isochrones',
    body: iso(fc(...Array.from({ length: LIMITS.maxIsochroneOrigins + 1 }, (_, i) => town.point(`p${i}`, town.at('a'))))),
    status: 422,
    code: 'LIMIT_EXCEEDED',
    detail: new RegExp(`^origins: has ${LIMITS.maxIsochroneOrigins + 1} features, at most ${LIMITS.maxIsochroneOrigins}`),
    where: 'origins',
  },
];

describe('malformed requests answered as problem documents (never 5xx)', () => {
  it.each(problems.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const res = await post(c.url, c.body, c.headers);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(c.status);
    const problem = problemIn(res);
    expect(problem.code).toBe(c.code);
    expect(problem.detail).toMatch(c.detail);
    if (c.where !== undefined) expect(problem.where).toBe(c.where);
    if (c.featureIndex !== undefined) expect(problem.featureIndex).toBe(c.featureIndex);
  });
});

/*
 * Bad features among good ones: the request is answered (200) for the good ones, and each bad one
 * gets an error naming its index and id — the service's choice for point inputs (the request is not
 * failed for one unusable community).
 */
interface FeatureCase {
  name: string;
  url: string;
  body: unknown;
  /** Where the per-feature errors are in the answer. */
  errors: (answer: any) => { index: number; id: string; message: string }[];
  index: number;
  id: string;
  message: RegExp;
  /** What must still have been answered. */
  answered: (answer: any) => void;
}

const isoErrors = (a: any) => a.errors.map((e: any) => ({ index: e.index, id: e.originId, message: e.error }));
const isoAnswered = (a: any) => expect(a.features.filter((f: any) => f.properties.kind === 'isochrone').map((f: any) => f.properties.originId)).toEqual(['A']);
const covAnswered = (ids: string[]) => (a: any) => expect(a.communities.map((c: any) => c.id)).toEqual(ids);

const features: FeatureCase[] = [
  {
    name: 'a LineString origin',
    url: '/v1/isochrones',
    body: iso(fc(A, { type: 'Feature', properties: { id: 'L' }, geometry: { type: 'LineString', coordinates: [town.at('a'), town.at('b')] } } as any)),
    errors: isoErrors,
    index: 1,
    id: 'L',
    message: /^origins feature 1 \(id "L"\): geometry type LineString: expected Point$/,
    answered: isoAnswered,
  },
  {
    name: 'a "NaN" origin coordinate',
    url: '/v1/isochrones',
    body: iso(fc(A, { type: 'Feature', properties: { id: 'n' }, geometry: { type: 'Point', coordinates: ['NaN', 23] } } as any)),
    errors: isoErrors,
    index: 1,
    id: 'n',
    // Quoted: the coordinate is the string "NaN", as the input has it.
    message: /^origins feature 1 \(id "n"\): coordinates \["NaN", 23\] are not WGS84 lon\/lat/,
    answered: isoAnswered,
  },
  {
    name: 'a huge (1e9) origin coordinate',
    url: '/v1/isochrones',
    body: iso(fc(A, town.point('huge', [1e9, 1e9]))),
    errors: isoErrors,
    index: 1,
    id: 'huge',
    message: /^origins feature 1 \(id "huge"\): coordinates \[1000000000, 1000000000\] are not WGS84 lon\/lat/,
    answered: isoAnswered,
  },
  {
    name: 'origins in projected metres',
    url: '/v1/isochrones',
    body: iso(fc(A, town.point('m', METRES))),
    errors: isoErrors,
    index: 1,
    id: 'm',
    message: /^origins feature 1 \(id "m"\): coordinates \[12600000, 2600000\] are not WGS84 lon\/lat/,
    answered: isoAnswered,
  },
  {
    name: 'a huge (1e9) travel-times target',
    url: '/v1/travel-times',
    body: { network: townNetwork, origins: fc(A), targets: fc(town.point('b', town.at('b')), town.point('t', [1e9, -1e9])), maxMinutes: 5 },
    errors: (a) => a.targetErrors.map((e: any) => ({ index: e.index, id: e.id, message: e.error })),
    index: 1,
    id: 't',
    message: /^targets feature 1 \(id "t"\): coordinates \[1000000000, -1000000000\] are not WGS84 lon\/lat/,
    answered: (a) => expect(a.origins[0].reachable.map((r: any) => r.targetId)).toEqual(['b']),
  },
  {
    name: 'an unclosed polygon ring in communities',
    url: '/v1/coverage',
    body: cov(fc(square('ok') as any, square('open', false) as any)),
    errors: (a) => a.errors.communities,
    index: 1,
    id: 'open',
    message: /^feature 1 \(id "open"\): outer ring is not closed: starts at .*, ends at .*; expected the first position repeated at the end$/,
    answered: covAnswered(['ok']),
  },
  {
    name: 'a LineString community',
    url: '/v1/coverage',
    body: cov(fc({ type: 'Feature', properties: { id: 'L', type: 'urban' }, geometry: { type: 'LineString', coordinates: [town.at('a'), town.at('b')] } } as any, urban('ok', town.at('b')))),
    errors: (a) => a.errors.communities,
    index: 0,
    id: 'L',
    message: /^feature 0 \(id "L"\): geometry type LineString: expected Point, MultiPoint, Polygon or MultiPolygon$/,
    answered: covAnswered(['ok']),
  },
  {
    name: 'GCJ-02 communities given in projected metres',
    url: '/v1/coverage',
    // maxSnapM: read as GCJ-02, the town's WGS84 point moves ~500 m off its roads; a request none of whose communities is placed is a 422.
    body: cov(fc(urban('ok', town.at('b')), urban('m', METRES)), { crs: 'gcj02', maxSnapM: 2000 }),
    errors: (a) => a.errors.communities,
    index: 1,
    id: 'm',
    message: /^feature 1 \(id "m"\): position \[12600000, 2600000\]: expected lon in \[-180, 180\] and lat in \[-90, 90\] \(is it \[lat, lon\] or projected\?\)$/,
    answered: covAnswered(['ok']),
  },
  {
    name: 'duplicate community ids',
    url: '/v1/coverage',
    body: cov(fc(urban('c1', town.at('b')), urban('c1', town.at('c')))),
    errors: (a) => a.errors.communities,
    index: 1,
    id: 'c1',
    message: /^feature 1 \(id "c1"\): id "c1" repeats feature 0's: expected unique ids$/,
    answered: covAnswered(['c1']),
  },
  {
    name: 'duplicate facility ids',
    url: '/v1/coverage',
    body: cov(fc(urban('c1', town.at('b'))), { facilities: fc(TOWN_FACILITIES.features[0] as any, TOWN_FACILITIES.features[0] as any) }),
    errors: (a) => a.errors.facilities,
    index: 1,
    id: 'clinic-1',
    message: /^feature 1 \(id "clinic-1"\): id "clinic-1" repeats feature 0's: expected unique ids$/,
    answered: (a) => expect(a.facilities.count).toBe(1),
  },
];

describe('bad features among good ones: answered, each bad one named by index and id', () => {
  it.each(features.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const res = await post(c.url, c.body);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const answer = res.json();
    expect(c.errors(answer)).toEqual([{ index: c.index, id: c.id, message: expect.stringMatching(c.message) }]);
    c.answered(answer);
  });
});

describe('empty point sets: answered cleanly, with nothing in them', () => {
  it.each([
    ['isochrone origins', '/v1/isochrones', iso(fc()), (a: any) => expect([a.features, a.errors]).toEqual([[], []])],
    ['travel-time origins', '/v1/travel-times', { network: townNetwork, origins: fc(), targets: fc(A), maxMinutes: 3 }, (a: any) => expect([a.origins, a.targetErrors]).toEqual([[], []])],
    ['travel-time targets', '/v1/travel-times', { network: townNetwork, origins: fc(A), targets: fc(), maxMinutes: 3 }, (a: any) => expect(a.origins).toEqual([expect.objectContaining({ id: 'A', reachable: [] })])],
    ['coverage communities', '/v1/coverage', cov(fc()), (a: any) => expect([a.communities, a.summary.communities.total]).toEqual([[], 0])],
    ['coverage facilities', '/v1/coverage', cov(fc(urban('c1', town.at('b'))), { facilities: fc() }), (a: any) => expect(a.communities[0].standards[0].pass).toBe(false)],
  ] as const)('%s', async (_, url, body, check) => {
    const res = await post(url, body);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    check(res.json());
  });
});

describe('malformed uploads and jobs (stored datasets)', () => {
  const auth = { 'x-api-key': KEY };
  const upload = (path: string, payload: string, contentType = 'application/json') => app.inject({ method: 'POST', url: path, payload, headers: { ...auth, 'content-type': contentType } });

  it.each([
    ['an empty network FeatureCollection', '/v1/datasets/networks', JSON.stringify(fc()), 400, 'EMPTY_NETWORK', /^network: no usable road in 0 line\(s\)$/, 'network'],
    ['a network of a Polygon only', '/v1/datasets/networks', JSON.stringify(fc(square('p') as any)), 400, 'EMPTY_NETWORK', /1 rejected \(geometry type Polygon is not a road: expected LineString or MultiLineString\)/, 'network'],
    ['a network with crs', '/v1/datasets/networks?crs=gcj02', JSON.stringify(townNetwork), 400, 'INVALID_PARAMETER', /^crs: networks are WGS84/, 'crs'],
    // The detail says "upload", never the server's temporary file.
    ['a GeoJSON network that is not valid JSON', '/v1/datasets/networks', '{"type": "FeatureCollection", "features": [', 400, 'INVALID_GEOJSON', /^upload: not valid JSON/, 'network'],
    ['a network that is not a known format', '/v1/datasets/networks', 'hello world', 400, 'INVALID_OSM', /not PBF, or corrupt/, 'network'],
    ['a network over the upload limit', '/v1/datasets/networks', 'x'.repeat(150_000), 413, 'BODY_TOO_LARGE', /^network: the upload is larger than the limit of 100000 bytes$/, 'network'],
    ['a wrong crs value', '/v1/datasets/facilities?crs=epsg3857', JSON.stringify(TOWN_FACILITIES), 400, 'INVALID_PARAMETER', /^crs: got "epsg3857", expected a coordinate system such as .* \(did you mean "EPSG:3857"\?\)$/, 'crs'],
    ['an unknown query parameter', '/v1/datasets/facilities?colour=red', JSON.stringify(TOWN_FACILITIES), 400, 'INVALID_PARAMETER', /^colour: is not a known parameter/, 'colour'],
    ['invalid JSON', '/v1/datasets/communities', '{"type":', 400, 'INVALID_JSON', /^request body is not valid JSON/, undefined],
    ['JSON that is not an object', '/v1/datasets/communities', '[1, 2]', 400, 'INVALID_GEOJSON', /^communities: got an array, expected a GeoJSON FeatureCollection$/, 'communities'],
    ['an empty communities FeatureCollection', '/v1/datasets/communities', JSON.stringify(fc()), 400, 'INVALID_GEOJSON', /^communities: no usable feature$/, 'communities'],
    ['communities only in projected metres', '/v1/datasets/communities?crs=gcj02', JSON.stringify(fc(urban('m', METRES))), 400, 'INVALID_GEOJSON', /^communities: the coordinates look projected \(metres, e\.g\. \[12600000, 2600000\] in feature 0 \(id "m"\)\), but the request's crs is gcj02 \(GCJ-02 \(Amap, Tencent\)\), in degrees/, 'communities'],
    ['communities whose crs member contradicts ?crs=', '/v1/datasets/communities?crs=gcj02', JSON.stringify({ ...fc(urban('m', town.at('a'))), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } }), 400, 'INVALID_PARAMETER', /^crs: the request says gcj02 \(GCJ-02 \(Amap, Tencent\)\) but communities says EPSG:4326 \(WGS 84\) in its crs member/, 'crs'],
    ['a CSV without a latitude column', '/v1/datasets/communities', 'id,lon\n1,2', 400, 'INVALID_PARAMETER', /^communities: no latitude column; expected one named lat, latitude, y, 纬度 \(got id, lon\)$/, 'communities'],
    ['facilities over the body limit', '/v1/datasets/facilities', 'x'.repeat(BODY_LIMIT + 1000), 413, 'BODY_TOO_LARGE', new RegExp(`^facilities: the upload is larger than the limit of ${BODY_LIMIT} bytes$`), 'facilities'],
  ] as const)('%s', async (_, url, payload, status, code, detail, where) => {
    const res = await upload(url, payload, url.endsWith('communities') && payload.startsWith('id,') ? 'text/csv' : 'application/json');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
    const problem = problemIn(res);
    expect(problem.code).toBe(code);
    expect(problem.detail).toMatch(detail);
    if (where) expect(problem.where).toBe(where);
  });

  it('names the first bad feature of an unusable set by featureIndex', async () => {
    const res = await upload('/v1/datasets/communities', JSON.stringify(fc(square('open', false) as any)));
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'communities', featureIndex: 0, detail: expect.stringContaining('feature 0 (id "open"): outer ring is not closed') });
  });

  it('stores a set with duplicate ids, reporting the duplicate by index and id', async () => {
    const res = await upload('/v1/datasets/communities', JSON.stringify(fc(urban('c', town.at('a')), urban('c', town.at('b')))));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ counts: { features: 2, usable: 1, errors: 1 }, report: { errors: [{ index: 1, id: 'c', message: expect.stringContaining('repeats feature 0') }] } });
  });

  it.each([
    ['invalid JSON', '{', 'INVALID_JSON', undefined],
    ['JSON that is not an object', '[]', 'INVALID_PARAMETER', 'body'],
    ['a missing required field', '{"kind":"coverage"}', 'INVALID_PARAMETER', 'communities'],
    ['a field of the wrong type', '{"kind":"coverage","communities":5}', 'INVALID_PARAMETER', 'communities'],
    ['an unknown parameter', '{"kind":"coverage","communities":"ds_x","colour":"red"}', 'INVALID_PARAMETER', 'colour'],
    ['a wrong kind', '{"kind":"isochrones","communities":"ds_x"}', 'INVALID_PARAMETER', 'kind'],
    // Its own network with the server's facilities (another city's, perhaps) would be silently wrong.
    ['a network without facilities', '{"kind":"coverage","communities":"ds_x","network":"ds_n"}', 'INVALID_PARAMETER', 'facilities'],
  ] as const)('POST /v1/jobs with %s → 400 %s', async (_, payload, code, where) => {
    const res = await upload('/v1/jobs', payload);
    expect(res.statusCode).toBe(400);
    const problem = problemIn(res);
    expect(problem.code).toBe(code);
    if (where) {
      expect(problem.where).toBe(where);
      expect(problem.detail.startsWith(`${where}: `)).toBe(true);
    }
  });
});

describe('after all of them', () => {
  it('still answers a normal request', async () => {
    const res = await post('/v1/coverage', cov(fc(urban('north', town.at('b')))));
    expect(res.statusCode).toBe(200);
    expect(res.json().communities.map((c: any) => c.id)).toEqual(['north']);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});
