import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatRegistry, type Static, type TSchema, TypeRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { SHARED_SCHEMAS } from '../../src/edge/api/openapi.ts';
import { CoverageCsv, CoverageMap, CoverageReport, CoverageRunInputs, CoverageRunReport, HealthAnswer, IsochronesAnswer, ReadyAnswer, RootAnswer, SitingAnswer, TravelTimesAnswer } from '../../src/runtime/requests/answers.ts';
import { BODY_SCHEMAS } from '../../src/runtime/requests/bodies.ts';
import { schemaProblem } from '../../src/runtime/requests/schema-check.ts';
import { Problem } from '../../src/edge/api/schemas/problem.ts';
import { Categories, type StandardSummary, StandardSummaries } from '../../src/edge/api/schemas/reference.ts';
import { StandardSchema } from '../../src/core/standards/schema.ts';
import type { Standard as StandardData } from '../../src/core/standards/types.ts';
import type { CommunityReport } from '../../src/core/coverage/coverage.ts';
import type { CoverageSummary } from '../../src/core/coverage/summary.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import type { CoverageResponse } from '../../src/runtime/requests/coverage.ts';
import type { RunInputs } from '../../src/runtime/jobs/runner.ts';
import type { IsochroneResponse } from '../../src/runtime/requests/isochrones.ts';
import type { TravelTimesResponse } from '../../src/runtime/requests/travel-times.ts';
import { OPENAPI_FILE, generateOpenApi } from '../../scripts/openapi.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, town as smallTown } from '../helpers/small-town.ts';
import { sharedStore } from '../helpers/store.ts';
import { until } from '../helpers/until.ts';
import { badOrigins, fc, testApp, town, townNetwork } from './helpers.ts';

/*
 * The OpenAPI document: checked in and current, complete (every route, its errors), and true: real
 * answers are checked against the schemas that document them, whose types are the ones the code
 * builds (at compile time, by tsc).
 */
let app: FastifyInstance;
let doc: any;
beforeAll(async () => {
  app = testApp({ defaultGraph: graphFromGeoJson(townNetwork, { source: 'town' }) });
  await app.ready();
  doc = app.swagger();
});
afterAll(() => app.close());

describe('openapi/openapi.json', () => {
  it('is what `npm run openapi` generates now', async () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    const generated = await generateOpenApi();
    // A plain boolean, so that the failure says what to do instead of printing a 150 KiB diff.
    expect(committed === generated, 'openapi/openapi.json is stale: run `npm run openapi` and commit the result').toBe(true);
  });

  it('is 2-space JSON with sorted keys (schema properties keep their documented order)', () => {
    const text = readFileSync(OPENAPI_FILE, 'utf8');
    const parsed = JSON.parse(text);
    expect(text).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
    expect(Object.keys(parsed)).toEqual(['components', 'info', 'openapi', 'paths', 'servers', 'tags']);
    expect(Object.keys(parsed.paths)).toEqual([...Object.keys(parsed.paths)].sort());
    const body = parsed.paths['/v1/isochrones'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties).slice(0, 3)).toEqual(['network', 'origins', 'minutes']);
  });

  it('is the document the server serves at /docs/json, next to Swagger UI at /docs', async () => {
    const served = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(served.statusCode).toBe(200);
    expect(served.json()).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
    const ui = await app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/^text\/html/);
    expect(ui.body).toContain('swagger');
  });
});

describe('the document', () => {
  it('is OpenAPI 3.1 with every route, each with a summary, a tag and its 200 answer', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, methods]: [string, any]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'GET /', 'GET /health', 'GET /ready', 'GET /v1/categories', 'POST /v1/categorize', 'GET /v1/standards', 'GET /v1/standards/{id}', 'POST /v1/coverage', 'POST /v1/siting', 'POST /v1/isochrones', 'POST /v1/travel-times',
        'POST /v1/route', 'GET /v1/defaults', 'GET /v1/defaults/network', 'GET /v1/defaults/facilities', 'GET /v1/defaults/communities',
        'POST /v1/datasets/networks', 'POST /v1/datasets/facilities', 'POST /v1/datasets/communities', 'POST /v1/datasets/homes', 'POST /v1/datasets/declarations', 'GET /v1/datasets', 'GET /v1/datasets/{id}', 'PUT /v1/datasets/{id}', 'DELETE /v1/datasets/{id}',
        'POST /v1/jobs', 'GET /v1/jobs', 'GET /v1/jobs/{id}', 'DELETE /v1/jobs/{id}', 'GET /v1/runs', 'GET /v1/runs/{id}', 'GET /v1/runs/{id}/summary', 'GET /v1/runs/{a}/diff/{b}',
      ].sort(),
    );
    for (const methods of Object.values(doc.paths) as any[]) {
      for (const op of Object.values(methods) as any[]) {
        expect(op.summary).toEqual(expect.any(String));
        expect(op.tags).toHaveLength(1);
        // Its success answer: 200, or 201 created, 202 queued, 204 deleted.
        expect(Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status))).toHaveLength(1);
      }
    }
    expect(Object.keys(doc.components.schemas).sort()).toEqual(SHARED_SCHEMAS.map((s) => s.$id).sort());
  });

  it('names every operation (camelCase, unique) and says which API key it wants, in which header', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, methods]: [string, any]) => Object.entries(methods).map(([method, op]: [string, any]) => ({ at: `${method.toUpperCase()} ${path}`, ...op })));
    const ids = operations.map((op) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z]+$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = Object.fromEntries(operations.map((op) => [op.operationId, op.at]));
    expect(byId).toMatchObject({ computeCoverage: 'POST /v1/coverage', getIsochrones: 'POST /v1/isochrones', getTravelTimes: 'POST /v1/travel-times', listDatasets: 'GET /v1/datasets', uploadCommunities: 'POST /v1/datasets/communities', getRun: 'GET /v1/runs/{id}' });

    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    // The headers access.ts reads.
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' }, bearer: { type: 'http', scheme: 'bearer' } });
    const keyed = [{ apiKey: [] }, { bearer: [] }];
    for (const op of operations) {
      const expected = /^(POST \/v1\/(coverage|isochrones|travel-times|route|siting))$/.test(op.at) ? [{}, ...keyed] : /\/v1\/(datasets|jobs|runs)/.test(op.at) ? keyed : [];
      expect({ at: op.at, security: op.security }).toEqual({ at: op.at, security: expected });
    }
  });

  it('asks for a key on the compute routes too when anonymous compute is off', async () => {
    const strict = testApp({ defaultGraph: graphFromGeoJson(townNetwork, { source: 'town' }), allowAnonymousCompute: false });
    try {
      await strict.ready();
      const paths = strict.swagger().paths as any;
      expect(paths['/v1/coverage'].post.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
      expect(paths['/v1/standards'].get.security).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('documents every error a compute route answers, as problem+json, naming the codes', () => {
    for (const path of ['/v1/isochrones', '/v1/travel-times', '/v1/coverage', '/v1/route']) {
      const { responses, requestBody } = doc.paths[path].post;
      expect(Object.keys(responses)).toEqual(['200', '400', '413', '415', '422', '429', '500', '503']);
      for (const status of ['400', '413', '415', '422', '429', '500', '503']) {
        expect(responses[status].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
      expect(responses['422'].description).toContain('`LIMIT_EXCEEDED`');
      for (const code of ['SERVER_BUSY', 'NOT_READY', 'TIMEOUT']) expect(responses['503'].description).toContain(`\`${code}\``);
      expect(Object.keys(requestBody.content)).toEqual(['application/json', 'application/geo+json']);
    }
    expect(Object.keys(doc.paths['/v1/standards/{id}'].get.responses)).toContain('404');
  });

  it('documents the formats of POST /v1/coverage', () => {
    const content = doc.paths['/v1/coverage'].post.responses['200'].content;
    expect(Object.keys(content).sort()).toEqual(['application/geo+json', 'application/geopackage+sqlite3', 'application/json', 'application/zip', 'text/csv']);
    expect(content['text/csv'].schema.type).toBe('string');
    expect(content['application/geo+json'].schema.properties.features).toBeDefined();
    expect(content['application/json'].schema.properties.summary).toBeDefined();
  });

  it('documents both kinds of job, each body with its own keys, and what their runs answer', () => {
    expect(doc.components.schemas.Job.properties.kind).toEqual({ type: 'string', enum: ['coverage', 'siting'] });
    const bodies = doc.paths['/v1/jobs'].post.requestBody.content['application/json'].schema.anyOf;
    const byKind = Object.fromEntries(bodies.map((b: any) => [b.properties.kind.enum[0], b]));
    expect(Object.keys(byKind).sort()).toEqual(['coverage', 'siting']);
    expect(byKind.siting).toMatchObject({ additionalProperties: false, required: expect.arrayContaining(['kind', 'communities']) });
    expect(Object.keys(byKind.siting.properties)).toEqual(expect.arrayContaining(['item', 'candidates', 'k', 'targetShare', 'method', 'homes']));
    // A what-if is one request's answer; declarations are coverage's.
    for (const key of ['add', 'declarations']) expect(byKind.siting.properties).not.toHaveProperty(key);
    expect(byKind.coverage.properties).not.toHaveProperty('item');
    const run = doc.paths['/v1/runs/{id}'].get.responses['200'].content;
    expect(run['application/json'].schema.anyOf).toHaveLength(2);
    expect(JSON.stringify(run['application/json'].schema)).toContain('the sites in order of choice');
    expect(run['text/csv'].schema.description).toContain('one row per site');
  });

  it('shows request bodies whole (GeoJSON, ranges, limits): the schemas every request is checked with', () => {
    const body = doc.paths['/v1/isochrones'].post.requestBody.content['application/json'].schema;
    expect(body.properties.origins).toEqual({ allOf: [{ $ref: '#/components/schemas/PointFeatureCollection' }], description: expect.stringContaining('at most 500') });
    expect(body.properties.minutes).toMatchObject({ maxItems: 12, items: { maximum: 180 } });
    expect(body.properties.mode).toMatchObject({ type: 'string', enum: ['walk', 'bike', 'ebike', 'car'], default: 'walk' });
    expect(body.additionalProperties).toBe(false);
    expect(doc.components.schemas.PointFeatureCollection.properties.features.items.properties.geometry).toBeDefined();
    // The same schema object checks: ranges and enums as documented, GeoJSON only as an object (its reader names the feature at fault).
    const problem = (value: unknown) => schemaProblem(BODY_SCHEMAS.isochrones, value);
    const origins = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null }] };
    expect(problem({ origins, minutes: [5] })).toBeUndefined();
    expect(problem({ origins: 'x', minutes: [5] })).toMatchObject({ code: 'INVALID_PARAMETER', where: 'origins', message: 'origins: got "x", expected an object' });
    expect(problem({ origins, minutes: [5], offNetworkM: 1001 })).toMatchObject({ code: 'INVALID_PARAMETER', message: 'offNetworkM: got 1001, expected a number greater than 0 and at most 1000' });
    expect(problem({ origins, minutes: [5], network: 3 })).toMatchObject({ where: 'network', message: 'network: got 3, expected an object or a string or null' });
    // The document's own symbols (kinds, hints) never reach it.
    expect(JSON.stringify(body)).not.toMatch(/CheckedByCore|StringEnum|workLimit/);
  });
});

/*
 * TypeBox checks answers against the documented schemas. Their string enums are `Type.Unsafe`
 * ({ type, enum }, so that Ajv and Swagger UI show "one of …"): Value.Check is told how to read
 * them, and what the `date` format is.
 */
TypeRegistry.Set('Unsafe', (schema: any, value) => {
  // A tuple (src/runtime/requests/tuple.ts): exactly its members, each of its type.
  if (schema.prefixItems) return Array.isArray(value) && value.length === schema.prefixItems.length && schema.prefixItems.every((member: TSchema, i: number) => Value.Check(member, value[i]));
  return (schema.type !== 'string' || typeof value === 'string') && (!schema.enum || schema.enum.includes(value));
});
FormatRegistry.Set('date', (value) => /^\d{4}-\d{2}-\d{2}$/.test(value));

function expectConforms(schema: TSchema, value: unknown) {
  const errors = [...Value.Errors(schema, SHARED_SCHEMAS, value)].slice(0, 5).map((e) => `${e.path}: ${e.message}`);
  expect(errors).toEqual([]);
}

describe('answers are what the document says', () => {
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json();
  const post = (url: string, payload: unknown, accept?: string) => app.inject({ method: 'POST', url, payload: payload as object, headers: accept ? { accept } : {} });

  it('the operational and reference routes', async () => {
    expectConforms(RootAnswer, await get('/'));
    expectConforms(HealthAnswer, await get('/health'));
    expectConforms(ReadyAnswer, await get('/ready'));
    expectConforms(StandardSummaries, await get('/v1/standards'));
    expectConforms(Categories, await get('/v1/categories'));
    for (const { id } of (await get('/v1/standards')).standards) expectConforms(StandardSchema, await get(`/v1/standards/${id}`));
  });

  it('isochrones (polygons and lines) and travel times, with a bad origin among them', async () => {
    const { offNetwork } = badOrigins();
    const origins = fc(town.point('A', town.at('a')), offNetwork);
    for (const output of ['polygons', 'lines']) expectConforms(IsochronesAnswer, (await post('/v1/isochrones', { origins, minutes: [2, 4], output })).json());
    const res = await post('/v1/travel-times', { origins, targets: fc(town.point('c', town.at('c')), badOrigins().noCoordinates), maxMinutes: 4 });
    expect(res.json().targetErrors).toHaveLength(1);
    expectConforms(TravelTimesAnswer, res.json());
  });

  it('coverage as JSON, GeoJSON and CSV', async () => {
    const communities = { type: 'FeatureCollection', features: [smallTown.point('north', smallTown.at('b'), { type: 'urban', population: 10, district: 'd' })] };
    const body = { network: smallTown.network, communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD };
    const report = (await post('/v1/coverage', body)).json();
    expect(report.communities[0].standards[0].items[0].nearest).toBeDefined();
    expectConforms(CoverageReport, report);
    expectConforms(CoverageMap, (await post('/v1/coverage', body, 'application/geo+json')).json());
    expectConforms(CoverageCsv, (await post('/v1/coverage', body, 'text/csv')).body);
  });

  it('a run as JSON (GET /v1/runs/:id): a real coverage job\'s, whole and a page, with its errors; a siting job\'s', async () => {
    const KEY = 'openapi-key-0123456789';
    const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-openapi-'));
    const jobs = testApp({ store: await sharedStore(), dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }], runJobs: { pollMs: 20 } });
    const auth = { 'x-api-key': KEY };
    try {
      await jobs.ready();
      const upload = async (kind: string, data: unknown) => {
        const res = await jobs.inject({ method: 'POST', url: `/v1/datasets/${kind}`, payload: JSON.stringify(data), headers: { ...auth, 'content-type': 'application/json' } });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id as string;
      };
      const runOf = async (body: object) => {
        const queued = await jobs.inject({ method: 'POST', url: '/v1/jobs', payload: body, headers: auth });
        expect(queued.statusCode, queued.body).toBe(202);
        let job: any;
        await until('the job', async () => {
          job = (await jobs.inject({ method: 'GET', url: `/v1/jobs/${queued.json().id}`, headers: auth })).json();
          return job.state !== 'queued' && job.state !== 'running';
        });
        expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
        return job.runHref as string;
      };
      const json = async (url: string) => {
        const res = await jobs.inject({ method: 'GET', url, headers: auth });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        return res.json();
      };
      const communities = { type: 'FeatureCollection', features: [smallTown.point('north', smallTown.at('b'), { type: 'urban', population: 10 }), smallTown.point('south', smallTown.at('g'), { type: 'urban', population: 30 })] };
      const datasets = { network: await upload('networks', smallTown.network), facilities: await upload('facilities', TOWN_FACILITIES), communities: await upload('communities', communities) };
      // A declaration and a home that match no community: the run's `errors`; its `inputs` name every dataset.
      const declarations = await upload('declarations', [{ community: 'north', item: 'park', provided: true }, { community: 'nowhere', item: 'park', provided: true }]);
      const homes = await upload('homes', { type: 'FeatureCollection', features: [smallTown.point('h1', smallTown.at('b'), { community: 'north' }), smallTown.point('h2', smallTown.at('g'), { community: 'nowhere' })] });
      // The document shows the run's report as its own component, first of the answer's two kinds.
      expect(doc.paths['/v1/runs/{id}'].get.responses['200'].content['application/json'].schema.anyOf[0]).toEqual({ $ref: '#/components/schemas/CoverageRunReport' });
      for (const extra of [{}, { declarations, homes }]) {
        const run = await runOf({ kind: 'coverage', ...datasets, ...extra, standard: SMALL_TOWN_STANDARD });
        for (const url of [run, `${run}?offset=1&limit=1`]) {
          const report = await json(url);
          expectConforms(CoverageRunReport, report);
          // Nothing undocumented either (the schema lets other members through, as every answer's does).
          expect(Object.keys(report).filter((key) => !(key in CoverageRunReport.properties))).toEqual([]);
          expect(report.communities).toHaveLength(url === run ? 2 : 1);
          if ('declarations' in extra) expect(Object.keys(report.errors).sort()).toEqual(['declarations', 'homes']);
        }
      }
      const siting = await runOf({ kind: 'siting', ...datasets, standard: SMALL_TOWN_STANDARD, item: 'park', k: 1, candidates: { type: 'FeatureCollection', features: [smallTown.point('at-c', smallTown.at('c'))] } });
      expectConforms(SitingAnswer, await json(siting));
    } finally {
      await jobs.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('errors', async () => {
    expectConforms(Problem, (await post('/v1/isochrones', { minutes: [5] })).json());
    expectConforms(Problem, (await get('/v1/standards/nope')));
  });

  it('and at compile time, every answer\'s type is its schema\'s: written once, nothing to reconcile', () => {
    expectTypeOf<IsochroneResponse>().toEqualTypeOf<Static<typeof IsochronesAnswer>>();
    expectTypeOf<TravelTimesResponse>().toEqualTypeOf<Static<typeof TravelTimesAnswer>>();
    // The coverage report: the core's parts (src/core/coverage/report-schema.ts), whose types the core builds, in the answer's schema.
    expectTypeOf<CoverageResponse>().toEqualTypeOf<Static<typeof CoverageReport>>();
    expectTypeOf<CoverageResponse['communities'][number]>().toEqualTypeOf<CommunityReport>();
    expectTypeOf<CoverageResponse['summary']>().toEqualTypeOf<CoverageSummary>();
    // A run's: the same parts, and the inputs the job runner records.
    expectTypeOf<Static<typeof CoverageRunReport>['communities'][number]>().toEqualTypeOf<CommunityReport>();
    expectTypeOf<Static<typeof CoverageRunReport>['summary']>().toEqualTypeOf<CoverageSummary>();
    expectTypeOf<RunInputs>().toEqualTypeOf<Static<typeof CoverageRunInputs>>();
    // The standards: the core's schema (src/core/standards/schema.ts), the summaries' (src/edge/api/schemas/reference.ts).
    expectTypeOf<StandardData>().toEqualTypeOf<Static<typeof StandardSchema>>();
    expectTypeOf<StandardSummary>().toEqualTypeOf<Static<typeof StandardSummaries>['standards'][number]>();
  });
});
