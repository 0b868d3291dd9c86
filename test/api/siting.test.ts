import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/core/io/csv-points.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * POST /v1/siting on the small town, sent inline: the core's choices are tested in test/siting; here,
 * what the API makes of them (formats, what-if, errors). The park serves south; c would serve north,
 * h east; d nobody.
 */
const communities = fc([
  town.point('north', town.at('b'), { type: 'urban', population: 1000 }),
  town.point('south', town.at('f'), { type: 'urban', population: 3000 }),
  town.point('east', town.at('h'), { type: 'urban', population: 500 }),
]);
const candidates = fc([town.point('at-c', town.at('c'), { cost: 2 }), town.point('at-h', town.at('h'), { cost: 1 }), town.point('at-d', town.at('d'))]);
const body = { network: town.network, communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, item: 'park', candidates };

let app: FastifyInstance;
beforeAll(async () => {
  app = testApp();
  await app.ready();
});
afterAll(() => app.close());

const post = (payload: unknown, url = '/v1/siting') => app.inject({ method: 'POST', url, payload: payload as object });

describe('POST /v1/siting', () => {
  it('JSON: the sites in order of choice, optimal, the shares before and after', async () => {
    const res = await post({ ...body, k: 2 });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ method: 'exact', optimal: true, objective: 'residents', item: { id: 'park', standardId: 'small-town', categories: ['park'] } });
    expect(r.sites.map((s: { id: string }) => s.id)).toEqual(['at-c', 'at-h']);
    expect(r.sites[1]).toMatchObject({ gainPopulation: 500, gainCommunities: 1, cumulativeShare: 1, cost: 1, geometry: { type: 'Point' } });
    expect(r.before.populationShare).toBe(0.6667);
    expect(r.after.populationShare).toBe(1);
    expect(r.communities.map((c: { id: string; metAfter: boolean }) => [c.id, c.metAfter])).toEqual([['north', true], ['south', true], ['east', true]]);
  });

  it('a budget of 1: only h is affordable', async () => {
    const r = (await post({ ...body, budget: 1, method: 'greedy' })).json();
    expect(r.sites.map((s: { id: string }) => s.id)).toEqual(['at-h']);
    expect(r.bound.value).toBeGreaterThanOrEqual(500);
  });

  it('CSV and GeoJSON by ?format=', async () => {
    const csv = await post({ ...body, k: 2 }, '/v1/siting?format=csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parseCsv(csv.body.replace(/^\uFEFF/, ''));
    expect(rows[0].slice(0, 3)).toEqual(['rank', 'id', 'name']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['at-c', 'at-h']);
    const geo = await post({ ...body, k: 1 }, '/v1/siting?format=geojson');
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    const map = geo.json();
    expect(map.type).toBe('FeatureCollection');
    expect(map.features[0].properties).toMatchObject({ rank: 1, id: 'at-c', gainPopulation: 1000 });
    expect(map.optimal).toBe(true);
  });

  it('a grid of candidates along the network', async () => {
    const r = (await post({ ...body, candidates: { grid: 100 }, k: 2 })).json();
    expect(r.sites).toHaveLength(2);
    expect(r.after.populationShare).toBe(1);
    expect(r.warnings.join(' ')).toMatch(/100 m grid/);
  });

  it('what-if with `add`: the coverage report with the changes per community', async () => {
    const { candidates: _c, ...coverageBody } = body;
    const res = await post({ ...coverageBody, add: fc([town.point('try-here', town.at('h'))]) });
    expect(res.statusCode).toBe(200);
    const w = res.json();
    expect(w.whatIf).toBe(true);
    expect(w.changes.changed.map((c: { communityId: string }) => c.communityId)).toEqual(['east']);
    expect(w.after.communities).toHaveLength(3);
  });

  it('bad input: 400 for a programme item and for no k; 422 when no candidate reaches an unserved home', async () => {
    const programme = problemIn(await post({ ...body, item: 'volunteers', k: 1 }));
    expect(programme).toMatchObject({ code: 'INVALID_PARAMETER', where: 'item' });
    expect(programme.detail).toMatch(/programme/);
    expect(problemIn(await post({ ...body }))).toMatchObject({ code: 'INVALID_PARAMETER', where: 'k' });
    const far = problemIn(await post({ ...body, k: 1, candidates: fc([town.point('at-d', town.at('d'))]) }));
    expect(far).toMatchObject({ code: 'NO_USABLE_INPUT', where: 'candidates' });
    expect(far.detail).toMatch(/2 homes not yet served/);
    expect(problemIn(await post({ ...body, k: 1, method: 'best' }))).toMatchObject({ code: 'INVALID_PARAMETER' });
  });
});
