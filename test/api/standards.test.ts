import { readFileSync, readdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACILITY_CATEGORIES } from '../../src/core/facilities/categories.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * The reference routes against the data files themselves (read here, not through the catalogue):
 * what GET /v1/standards counts is what data/standards/*.json holds.
 */
const FOLDER = fileURLToPath(new URL('../../data/standards/', import.meta.url));
const files = new Map<string, any>(
  readdirSync(FOLDER)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(FOLDER + f, 'utf8'))]),
);
// Annex order of the 2020 opinion.
const IDS = ['guangzhou-2020-urban-basic', 'guangzhou-2020-rural-basic', 'guangzhou-2020-urban-quality', 'guangzhou-2020-rural-quality'];

let app: FastifyInstance;
beforeAll(async () => {
  app = testApp();
  await app.ready();
});
afterAll(() => app.close());

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
};

describe('GET /v1/standards', () => {
  it('summarises every shipped standard, in annex order', async () => {
    const { status, type, body } = await get('/v1/standards');
    expect(status).toBe(200);
    expect(type).toMatch(/^application\/json/);
    expect(body.standards.map((s: any) => s.id)).toEqual(IDS);
    expect([...files.keys()].sort()).toEqual([...IDS].sort());
    expect(body.standards[0]).toEqual({
      id: 'guangzhou-2020-urban-basic',
      name: { zh: '广州市城市社区15分钟便民生活服务圈建设基本指标', en: 'Guangzhou urban communities: 15-minute basic life-service circle' },
      communityType: 'urban',
      level: 'basic',
      mode: 'walk',
      minutes: 15,
      items: { total: 34, place: 19, programme: 13, online: 2 },
      groups: [
        { id: 'party', zh: '党群服务', en: 'Party & community services', items: 4, places: expect.any(Number) },
        { id: 'public', zh: '公共服务', en: 'Public services', items: 15, places: expect.any(Number) },
        { id: 'volunteer', zh: '志愿服务', en: 'Volunteer services', items: 3, places: expect.any(Number) },
        { id: 'community', zh: '社区服务', en: 'Community services', items: 5, places: expect.any(Number) },
        { id: 'convenience', zh: '便民服务', en: 'Convenience services', items: 4, places: expect.any(Number) },
        { id: 'culture_sports', zh: '文体服务', en: 'Culture & sports', items: 3, places: expect.any(Number) },
      ],
      targetShare: 0.9,
      href: '/v1/standards/guangzhou-2020-urban-basic',
    });
  });

  it('counts items per group and kind as the data files hold them, and as the document states', async () => {
    const { body } = await get('/v1/standards');
    for (const summary of body.standards) {
      const file = files.get(summary.id);
      expect(summary).toMatchObject({ name: file.name, communityType: file.communityType, level: file.level, mode: file.mode, minutes: file.minutes, targetShare: file.target.share });
      expect(summary.items.total).toBe(file.items.length);
      expect(summary.items.place + summary.items.programme + summary.items.online).toBe(file.items.length);
      for (const group of summary.groups) {
        const items = file.items.filter((i: any) => i.group === group.id);
        expect(group.items).toBe(items.length);
        expect(group.items).toBe(file.groups.find((g: any) => g.id === group.id).count);
        expect(group.places).toBe(items.filter((i: any) => i.kind === 'place').length);
      }
    }
    // The rural circles are 30 minutes, by e-bike unless a request says otherwise.
    expect(body.standards.filter((s: any) => s.communityType === 'rural').map((s: any) => [s.mode, s.minutes])).toEqual([['ebike', 30], ['ebike', 30]]);
  });
});

describe('GET /v1/standards/:id', () => {
  it('gives each standard whole: items with names, kind, categories, departments; target with milestones', async () => {
    for (const id of IDS) {
      const { status, body } = await get(`/v1/standards/${id}`);
      expect(status).toBe(200);
      expect(body).toEqual(files.get(id));
    }
    const { body } = await get('/v1/standards/guangzhou-2020-urban-basic');
    expect(body.items[0]).toEqual({
      id: 'party-1', group: 'party', number: 1, zh: '社区党群服务中心', en: 'Party & community service centre',
      lead: ['各区党委'], guiding: ['市委组织部'], kind: 'place', categories: ['party_community_centre'],
    });
    expect(body.target).toMatchObject({
      share: 0.9,
      milestones: [
        { date: '2020-06-30', share: 0.3, increment: 0.3 },
        { date: '2020-12-31', share: 0.6, increment: 0.3 },
        { date: '2021-06-30', share: 0.9, increment: 0.3 },
      ],
    });
  });

  it('answers an unknown id with 404 NOT_FOUND naming the known ids (and a close match)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/standards/guangzhou-2020-urban-basci' });
    expect(res.statusCode).toBe(404);
    expect(problemIn(res)).toEqual({
      code: 'NOT_FOUND',
      detail: `id: "guangzhou-2020-urban-basci" is not a known standard (did you mean "guangzhou-2020-urban-basic"?); the standards are ${IDS.join(', ')}`,
      where: 'id',
    });
    const far = await app.inject({ method: 'GET', url: '/v1/standards/shanghai' });
    expect(far.statusCode).toBe(404);
    expect(problemIn(far).detail).toBe(`id: "shanghai" is not a known standard; the standards are ${IDS.join(', ')}`);
  });
});

describe('GET /v1/categories', () => {
  it('lists the facility category vocabulary with Chinese and English names, in vocabulary order', async () => {
    const { status, body } = await get('/v1/categories');
    expect(status).toBe(200);
    expect(body.categories.map((c: any) => ({ id: c.id, zh: c.zh, en: c.en }))).toEqual(FACILITY_CATEGORIES.map((c) => ({ id: c.id, zh: c.zh, en: c.en })));
    expect(body.categories.find((c: any) => c.id === 'clinic')).toMatchObject({ zh: '社区卫生服务站 / 诊所', en: 'Community health station / clinic' });
  });

  it('names, for each category, the shipped place items it satisfies — exactly those that list it', async () => {
    const { body } = await get('/v1/categories');
    const expected = new Map<string, string[]>();
    for (const id of IDS) {
      for (const item of files.get(id).items) {
        for (const c of item.categories ?? []) expected.set(c, [...(expected.get(c) ?? []), `${id}/${item.id}`]);
      }
    }
    for (const category of body.categories) {
      expect(category.items.map((i: any) => `${i.standardId}/${i.itemId}`)).toEqual(expected.get(category.id) ?? []);
    }
    // Every category some item relies on is in the vocabulary.
    const listed = new Set(body.categories.map((c: any) => c.id));
    expect([...expected.keys()].filter((c) => !listed.has(c))).toEqual([]);
    const party = body.categories.find((c: any) => c.id === 'party_community_centre');
    expect(party.items).toContainEqual({ standardId: 'guangzhou-2020-urban-basic', itemId: 'party-1', zh: '社区党群服务中心' });
  });
});
