import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPEED_KMH } from '../../src/core/network/profiles.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';
import { memoryStore } from '../helpers/store.ts';

/*
 * Declarations through the API (issue 12 items 5 and 7): inline in POST /v1/coverage (rows or CSV
 * text), as a stored dataset (JSON or CSV, GBK too) that a job names; and the rural standards'
 * statement that their travel is our assumption, on the standards endpoints and in coverage answers.
 */
const KEY = 'declarations-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-declarations-'));
let sql: Sql;
let app: FastifyInstance;

beforeAll(async () => {
  // A migrated in-memory store of its own, copied from the template (not initdb's seconds in this process).
  sql = await memoryStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }], runJobs: { pollMs: 20 } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { 'x-api-key': KEY };
const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/coverage', payload: payload as object });
const upload = (url: string, payload: string | Buffer, contentType: string) => app.inject({ method: 'POST', url, payload, headers: { ...auth, 'content-type': contentType } });

const communities = fc([
  town.point('north', town.at('b'), { type: 'urban', name: '北苑' }),
  town.point('south', town.at('f'), { type: 'urban', name: '南苑', services: ['app'] }),
]);
const body = { network: town.network, communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD };

describe('POST /v1/coverage with declarations', () => {
  it('reports rows naming an unknown community or item one by one, with a did-you-mean', async () => {
    const res = await post({
      ...body,
      declarations: [
        { community: 'north', item: '志愿服务团队', provided: true, source: '街道台账', date: '2024-05-01' },
        { community: 'nroth', item: 'volunteers', provided: true },
        { community: 'south', item: 'volunteer', provided: '是' },
        { community: 'south', item: '口袋公园', provided: true },
      ],
    });
    expect(res.statusCode).toBe(200);
    const errors = res.json().errors.declarations;
    expect(errors).toEqual([
      { row: 1, community: 'nroth', item: 'volunteers', message: 'declarations[1]: community "nroth" is not among the communities assessed (did you mean "north"?)' },
      { row: 2, community: 'south', item: 'volunteer', message: 'declarations[2]: item "volunteer" is not an item of the standards assessed (did you mean "volunteers"?)' },
      { row: 3, community: 'south', item: '口袋公园', message: expect.stringContaining('is a place item') },
    ]);
  });

  it('takes CSV text, and answers an empty list when the body has no declarations', async () => {
    const csv = '社区,指标,是否提供\nnorth,网上办事大厅,否\nwest,网上办事大厅,是\n';
    const res = await post({ ...body, declarations: csv });
    expect(res.statusCode).toBe(200);
    expect(res.json().errors.declarations.map((e: { row: number; message: string }) => [e.row, e.message])).toEqual([[3, 'CSV row 3: community "west" is not among the communities assessed']]);
    expect((await post(body)).json().errors.declarations).toEqual([]);
  });

  it('refuses declarations that are no table, and a CSV without the needed columns', async () => {
    const notTable = await post({ ...body, declarations: { community: 'north' } });
    expect(notTable.statusCode).toBe(400);
    expect(problemIn(notTable)).toMatchObject({ code: 'INVALID_PARAMETER' });
    const noColumn = await post({ ...body, declarations: 'community,item\nnorth,app\n' });
    expect(noColumn.statusCode).toBe(400);
    expect(problemIn(noColumn).detail).toContain('no provided');
  });
});

describe('the rural standards say their travel is our assumption', () => {
  const rural = ['guangzhou-2020-rural-basic', 'guangzhou-2020-rural-quality'];

  it('in the standards endpoints, naming the speed the e-bike is assessed at', async () => {
    const summaries = (await app.inject({ method: 'GET', url: '/v1/standards' })).json().standards;
    for (const s of summaries) {
      if (s.communityType === 'rural') {
        expect(s.travelAssumption.zh).toContain(`每小时${DEFAULT_SPEED_KMH.ebike}公里`);
        expect(s.travelAssumption.en).toContain(`e-bike at ${DEFAULT_SPEED_KMH.ebike} km/h`);
        expect(s.travelAssumption.en).toContain('not the policy');
      } else expect(s).not.toHaveProperty('travelAssumption');
    }
    expect(summaries.filter((s: { travelAssumption?: unknown }) => s.travelAssumption).map((s: { id: string }) => s.id).sort()).toEqual(rural);
    const whole = (await app.inject({ method: 'GET', url: `/v1/standards/${rural[0]}` })).json();
    expect(whole.travelAssumption.zh).toContain('不是政策的规定');
  });

  it('in every coverage answer that assesses a village', async () => {
    const village = fc([town.point('v1', town.at('b'), { type: 'rural', name: '一村' })]);
    const res = await post({ network: town.network, communities: village, facilities: TOWN_FACILITIES, standards: [...rural, 'guangzhou-2020-urban-basic'] });
    expect(res.statusCode).toBe(200);
    const standards = res.json().standards;
    expect(standards.filter((s: { travelAssumption?: unknown }) => s.travelAssumption).map((s: { id: string }) => s.id).sort()).toEqual(rural);
  });
});

describe('a declarations dataset', () => {
  it('is uploaded as GBK CSV or JSON rows, reporting rows it cannot read', async () => {
    // "社区,指标,是否提供,来源,日期\r\nV-001,工青妇服务,是,镇街台账,2024/5/1\r\nV-001,人民调解服务,否,,\r\n" in GBK (Python's codec).
    const gbk = Buffer.from(
      'c9e7c7f82cd6b8b1ea2ccac7b7f1cce1b9a92cc0b4d4b42cc8d5c6da0d0a562d3030312cb9a4c7e0b8beb7fecef12ccac72cd5f2bdd6cca8d5cb2c323032342f352f310d0a562d3030312cc8cbc3f1b5f7bde2b7fecef12cb7f12c2c0d0a',
      'hex',
    );
    const csv = await upload('/v1/datasets/declarations?name=village', gbk, 'text/csv');
    expect(csv.statusCode).toBe(201);
    expect(csv.json()).toMatchObject({ kind: 'declarations', name: 'village', counts: { rows: 2, usable: 2, errors: 0 }, report: { format: 'csv (gbk)', errors: [] } });
    const rows = [
      { community: 'north', item: 'volunteers', provided: true },
      { community: 'north', item: 'app', provided: 'perhaps' },
    ];
    const json = await upload('/v1/datasets/declarations', JSON.stringify(rows), 'application/json');
    expect(json.statusCode).toBe(201);
    expect(json.json().counts).toEqual({ rows: 2, usable: 1, errors: 1 });
    expect(json.json().report.errors[0].message).toMatch(/^declarations\[1\]: provided: got "perhaps"/);
    const listed = (await app.inject({ method: 'GET', url: '/v1/datasets?kind=declarations', headers: auth })).json().datasets;
    expect(listed.map((d: { id: string }) => d.id).sort()).toEqual([csv.json().id, json.json().id].sort());
  });

  it('refuses an upload with no usable row, or of another type', async () => {
    const none = await upload('/v1/datasets/declarations', 'community,item,provided\nnorth,app,perhaps\n', 'text/csv');
    expect(none.statusCode).toBe(400);
    expect(problemIn(none).detail).toMatch(/no usable row \(first problem: CSV row 2: provided/);
    const zip = await upload('/v1/datasets/declarations', Buffer.from('PK'), 'application/zip');
    expect(zip.statusCode).toBe(415);
  });

  it('is named by a job, whose run reports the rows that match no community', async () => {
    const network = (await upload('/v1/datasets/networks', JSON.stringify(town.network), 'application/json')).json();
    const facilities = (await upload('/v1/datasets/facilities', JSON.stringify(TOWN_FACILITIES), 'application/json')).json();
    const people = (await upload('/v1/datasets/communities', JSON.stringify(communities), 'application/json')).json();
    const rows = [
      { community: 'north', item: 'volunteers', provided: true },
      { community: 'nowhere', item: 'volunteers', provided: true },
    ];
    const declarations = (await upload('/v1/datasets/declarations', JSON.stringify(rows), 'application/json')).json();
    const job = { kind: 'coverage', network: network.id, facilities: facilities.id, communities: people.id, declarations: declarations.id, standard: SMALL_TOWN_STANDARD };
    // A dataset of another kind is refused before anything is queued.
    const wrong = await app.inject({ method: 'POST', url: '/v1/jobs', payload: { ...job, declarations: people.id }, headers: auth });
    expect(wrong.statusCode).toBe(400);
    expect(problemIn(wrong).detail).toContain('holds communities, expected declarations');
    const queued = await app.inject({ method: 'POST', url: '/v1/jobs', payload: job, headers: auth });
    expect(queued.statusCode).toBe(202);
    let state = queued.json();
    for (let i = 0; i < 1500 && (state.state === 'queued' || state.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      state = (await app.inject({ method: 'GET', url: `/v1/jobs/${state.id}`, headers: auth })).json();
    }
    expect(state.state).toBe('succeeded');
    const summary = (await app.inject({ method: 'GET', url: `/v1/runs/${state.runId}/summary`, headers: auth })).json();
    expect(summary.inputs.declarations).toEqual({ dataset: declarations.id, version: 1 });
    const run = (await app.inject({ method: 'GET', url: `/v1/runs/${state.runId}`, headers: auth })).json();
    expect(run.errors.declarations).toEqual([{ row: 1, community: 'nowhere', item: 'volunteers', message: 'declarations[1]: community "nowhere" is not among the communities assessed' }]);
  });
});
