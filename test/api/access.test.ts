import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sql } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * Access: datasets, jobs and runs need a known key (401 otherwise), and each key sees only its own —
 * another key's ids answer 404 exactly like ids that never existed, and are absent from lists.
 */
const ALICE = 'alice-key-0123456789abcdef';
const BOB = 'bob-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-access-'));
let sql: Sql;
let app: FastifyInstance;

beforeAll(async () => {
  sql = await sharedStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'alice', key: ALICE }, { name: 'bob', key: BOB }], runJobs: { pollMs: 20 } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (key: string | undefined, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}), headers: key ? { 'x-api-key': key } : {} });

describe('keys', () => {
  it('401 without a key or with an unknown one, as a problem document with WWW-Authenticate', async () => {
    for (const [method, url] of [['GET', '/v1/datasets'], ['GET', '/v1/jobs'], ['GET', '/v1/runs'], ['GET', '/v1/datasets/ds_x'], ['POST', '/v1/datasets/networks'], ['DELETE', '/v1/jobs/job_x']] as const) {
      for (const key of [undefined, 'not-a-key-of-this-server']) {
        const res = await as(key, method, url);
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(problemIn(res).code).toBe('UNAUTHORIZED');
      }
    }
  });

  it('takes the key from Authorization: Bearer too', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/datasets', headers: { authorization: `Bearer ${ALICE}` } });
    expect(res.statusCode).toBe(200);
  });

  it('lets compute routes answer without a key, but not with an unknown one', async () => {
    const body = { network: town.network, origins: fc([town.point('b', town.at('b'))]), minutes: [2] };
    expect((await as(undefined, 'POST', '/v1/isochrones', body)).statusCode).toBe(200);
    expect((await as(ALICE, 'POST', '/v1/isochrones', body)).statusCode).toBe(200);
    expect((await as('made-up-key-made-up-key', 'POST', '/v1/isochrones', body)).statusCode).toBe(401);
  });

  it('requires a key for compute routes when anonymous compute is off', async () => {
    const strict = testApp({ store: sql, dataDir: dir, allowAnonymousCompute: false, runJobs: false });
    try {
      const body = { network: town.network, origins: fc([town.point('b', town.at('b'))]), targets: fc([town.point('c', town.at('c'))]), maxMinutes: 5 };
      const res = await strict.inject({ method: 'POST', url: '/v1/travel-times', payload: body });
      expect(res.statusCode).toBe(401);
      expect(problemIn(res).code).toBe('UNAUTHORIZED');
      expect((await strict.inject({ method: 'POST', url: '/v1/travel-times', payload: body, headers: { 'x-api-key': BOB } })).statusCode).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('isolation', () => {
  it('key A cannot read, list, use, replace, diff or delete key B\'s datasets, jobs or runs', async () => {
    const upload = (key: string, url: string, value: unknown, method: 'POST' | 'PUT' = 'POST') =>
      app.inject({ method, url, payload: JSON.stringify(value), headers: { 'x-api-key': key, 'content-type': 'application/json' } });
    const network = (await upload(BOB, '/v1/datasets/networks', town.network)).json();
    const facilities = (await upload(BOB, '/v1/datasets/facilities', TOWN_FACILITIES)).json();
    const communities = (await upload(BOB, '/v1/datasets/communities', fc([town.point('north', town.at('b'), { type: 'urban' })]))).json();
    const job = (await as(BOB, 'POST', '/v1/jobs', { kind: 'coverage', network: network.id, facilities: facilities.id, communities: communities.id, standard: SMALL_TOWN_STANDARD })).json();
    let done = job;
    for (let i = 0; i < 500 && done.state !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      done = (await as(BOB, 'GET', `/v1/jobs/${job.id}`)).json();
    }
    expect(done.state).toBe('succeeded');
    const runId = done.runId;

    // Alice's own things, to diff against and to list.
    const mine = (await upload(ALICE, '/v1/datasets/communities', fc([town.point('x', town.at('c'), { type: 'urban' })]))).json();

    const notFound = async (method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
      const res = method === 'PUT' ? await upload(ALICE, url, body) : await as(ALICE, method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(problemIn(res).code).toBe('NOT_FOUND');
      return res.json().detail as string;
    };
    // Exactly like an id that never existed: the same answer, word for word but the id.
    const missingDetail = await notFound('GET', '/v1/datasets/ds_never');
    expect((await notFound('GET', `/v1/datasets/${network.id}`)).replace(network.id, 'ds_never')).toBe(missingDetail);
    await notFound('PUT', `/v1/datasets/${facilities.id}`, TOWN_FACILITIES);
    await notFound('DELETE', `/v1/datasets/${communities.id}`);
    await notFound('GET', `/v1/jobs/${job.id}`);
    await notFound('DELETE', `/v1/jobs/${job.id}`);
    await notFound('GET', `/v1/runs/${runId}`);
    await notFound('GET', `/v1/runs/${runId}/diff/${runId}`);

    expect((await as(ALICE, 'GET', '/v1/datasets')).json().datasets.map((d: any) => d.id)).toEqual([mine.id]);
    expect((await as(ALICE, 'GET', '/v1/jobs')).json().jobs).toEqual([]);
    expect((await as(ALICE, 'GET', '/v1/runs')).json().runs).toEqual([]);

    // Nor use them: in a job or a compute request they are unknown ids (400, as for any unknown id).
    const useInJob = await as(ALICE, 'POST', '/v1/jobs', { kind: 'coverage', communities: communities.id });
    expect(problemIn(useInJob)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'communities' });
    const useInline = await as(ALICE, 'POST', '/v1/isochrones', { network: network.id, origins: fc([town.point('b', town.at('b'))]), minutes: [2] });
    expect(problemIn(useInline)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'network' });

    // And Bob's things are all still there.
    expect((await as(BOB, 'GET', '/v1/datasets')).json().datasets).toHaveLength(3);
    expect((await as(BOB, 'GET', `/v1/runs/${runId}`)).statusCode).toBe(200);
    expect((await as(BOB, 'GET', `/v1/jobs/${job.id}`)).json().state).toBe('succeeded');
  });
});

describe('logs', () => {
  it('never show the key, whichever header carries it', async () => {
    const lines: string[] = [];
    const logged = testApp({ store: sql, dataDir: dir, runJobs: false, logger: { level: 'trace', stream: { write: (line) => lines.push(line) } } });
    try {
      await logged.inject({ method: 'GET', url: '/v1/datasets', headers: { 'x-api-key': ALICE } });
      await logged.inject({ method: 'GET', url: '/v1/datasets', headers: { authorization: `Bearer ${BOB}` } });
      await logged.inject({ method: 'GET', url: '/v1/datasets', headers: { 'x-api-key': 'unknown-key-unknown-key' } });
    } finally {
      await logged.close();
    }
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [ALICE, BOB, 'unknown-key-unknown-key']) expect(text).not.toContain(secret);
  });
});
