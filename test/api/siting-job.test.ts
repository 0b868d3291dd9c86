import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedStore } from '../helpers/store.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { until } from '../helpers/until.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * A siting job over stored datasets (issue 15): queued with POST /v1/jobs `kind: "siting"`, polled
 * to its run, and the run read back as JSON, GeoJSON and CSV — each the very answer POST /v1/siting
 * gives for the same request sent inline. Bad parameters are refused before the job is queued. The
 * town of test/api/siting.test.ts: the park serves south; c would serve north, h east; d nobody.
 */
const KEY = 'siting-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-siting-job-'));
const communities = fc([
  town.point('north', town.at('b'), { type: 'urban', population: 1000 }),
  town.point('south', town.at('f'), { type: 'urban', population: 3000 }),
  town.point('east', town.at('h'), { type: 'urban', population: 500 }),
]);
const candidates = fc([town.point('at-c', town.at('c'), { cost: 2 }), town.point('at-h', town.at('h'), { cost: 1 }), town.point('at-d', town.at('d'))]);
const siting = { standard: SMALL_TOWN_STANDARD, item: 'park', candidates, k: 2 };

let app: FastifyInstance;
const ids: Record<'network' | 'facilities' | 'communities', string> = { network: '', facilities: '', communities: '' };

beforeAll(async () => {
  app = testApp({ store: await sharedStore(), dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }], runJobs: { pollMs: 20 } });
  await app.ready();
  for (const [kind, path, data] of [
    ['network', 'networks', town.network],
    ['facilities', 'facilities', TOWN_FACILITIES],
    ['communities', 'communities', communities],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: `/v1/datasets/${path}`, payload: JSON.stringify(data), headers: { ...auth, 'content-type': 'application/geo+json' } });
    expect(res.statusCode, res.body).toBe(201);
    ids[kind] = res.json().id;
  }
}, 60_000);
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { 'x-api-key': KEY };
const get = (url: string, accept?: string) => app.inject({ method: 'GET', url, headers: { ...auth, ...(accept ? { accept } : {}) } });
const queue = (payload: object) => app.inject({ method: 'POST', url: '/v1/jobs', payload, headers: auth });

async function finished(jobId: string) {
  let job: any;
  await until('the siting job', async () => {
    job = (await get(`/v1/jobs/${jobId}`)).json();
    return job.state !== 'queued' && job.state !== 'running';
  });
  return job;
}

describe('a siting job', () => {
  let job: any;

  it('runs over stored datasets to a run: the answer POST /v1/siting gives inline, as JSON, GeoJSON and CSV', async () => {
    const queued = await queue({ kind: 'siting', ...ids, ...siting });
    expect(queued.statusCode, queued.body).toBe(202);
    expect(queued.json()).toMatchObject({ kind: 'siting', state: 'queued' });
    job = await finished(queued.json().id);
    expect(job).toMatchObject({ kind: 'siting', state: 'succeeded', error: null, progress: { done: 3, total: 3 }, runHref: `/v1/runs/${job.runId}` });

    const inline = { network: town.network, facilities: TOWN_FACILITIES, communities, ...siting };
    const post = (format: string) => app.inject({ method: 'POST', url: `/v1/siting?format=${format}`, payload: inline });
    const run = await get(job.runHref);
    expect(run.statusCode).toBe(200);
    const { inputs, ...answer } = run.json();
    expect(answer).toEqual((await post('json')).json());
    expect(answer.sites.map((s: { id: string }) => s.id)).toEqual(['at-c', 'at-h']);
    expect(answer).toMatchObject({ method: 'exact', optimal: true, after: { populationShare: 1 } });
    // Which versions of the datasets it read.
    expect(inputs).toEqual({ network: { dataset: ids.network, version: 1 }, facilities: { dataset: ids.facilities, version: 1 }, communities: { dataset: ids.communities, version: 1 } });
    for (const [format, accept] of [['geojson', 'application/geo+json'], ['csv', 'text/csv']]) {
      const stored = await get(job.runHref, accept);
      const direct = await post(format);
      expect(stored.headers['content-type']).toBe(direct.headers['content-type']);
      if (format === 'csv') expect(stored.body).toBe(direct.body);
      else expect({ ...stored.json(), inputs: undefined }).toEqual({ ...direct.json(), inputs: undefined });
    }
  });

  it('is listed with its kind and summary; its run summary is the answer without sites; a diff refuses it', async () => {
    const runs = (await get('/v1/runs')).json().runs;
    const listed = runs.find((r: { id: string }) => r.id === job.runId);
    expect(listed).toMatchObject({ kind: 'siting', jobId: job.id, summary: { item: { id: 'park' }, method: 'exact', optimal: true, sites: 2, after: { populationShare: 1 } } });
    const summary = (await get(`${job.runHref}/summary`)).json();
    expect(summary).toMatchObject({ communityCount: 3, method: 'exact', summary: { sites: 2 } });
    expect(summary.sites).toBeUndefined();
    const diff = await get(`${job.runHref}/diff/${job.runId}`);
    expect(problemIn(diff)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'a' });
  });

  it('refuses bad parameters before queueing: what, where', async () => {
    const cases: [object, number, string, string][] = [
      [{ kind: 'siting', communities: ids.communities, standard: SMALL_TOWN_STANDARD, item: 'park', candidates }, 400, 'INVALID_PARAMETER', 'k'],
      [{ kind: 'siting', ...ids, ...siting, item: 'volunteers' }, 400, 'INVALID_PARAMETER', 'item'],
      [{ kind: 'siting', ...ids, ...siting, add: candidates }, 400, 'INVALID_PARAMETER', 'add'],
      [{ kind: 'siting', ...ids, ...siting, candidates: { grid: 2 } }, 400, 'INVALID_PARAMETER', 'candidates.grid'],
      [{ kind: 'siting', ...ids, ...siting, candidates: fc([{ type: 'Feature', properties: { id: 'x' }, geometry: null }]) }, 422, 'NO_USABLE_INPUT', 'candidates'],
      [{ kind: 'siting', ...ids, ...siting, communities: ids.facilities }, 400, 'INVALID_PARAMETER', 'communities'],
      [{ kind: 'planting', ...ids, ...siting }, 400, 'INVALID_PARAMETER', 'kind'],
      [{ kind: 'coverage', ...ids, ...siting }, 400, 'INVALID_PARAMETER', 'item'],
    ];
    const before = (await get('/v1/jobs')).json().jobs.length;
    for (const [body, status, code, where] of cases) {
      const res = await queue(body);
      expect({ body, status: res.statusCode }).toEqual({ body, status });
      expect(problemIn(res)).toMatchObject({ code, where });
    }
    expect((await get('/v1/jobs')).json().jobs).toHaveLength(before);
  });
});
