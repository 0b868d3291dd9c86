import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { testApp } from './helpers.ts';

const feature = (properties: Record<string, unknown>) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [104.07, 30.65] } });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('POST /v1/categorize', () => {
  let app: FastifyInstance;
  // No default network: the route needs none.
  beforeAll(async () => {
    app = testApp({ workerThresholdBytes: 1024 });
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/categorize', payload: payload as object });

  it('answers each feature in order: the rule that matched, the exclusion that applied, or why none did', async () => {
    const body = fc(
      feature({ id: 'h', amenity: 'hospital', name: '簇桥社区卫生服务中心' }),
      feature({ id: 'pet', amenity: 'clinic', name: '瑞鹏宠物医院' }),
      feature({ id: 'coop', typecode: '130106', name: '石牌村经济合作社' }),
      feature({ id: 'bench', amenity: 'bench' }),
      feature({ id: 'phone', shop: 'mobile_phone', name: 'OPPO专卖店' }),
    );
    const res = await post(body);
    expect(res.statusCode).toBe(200);
    const { features, counts } = res.json();
    expect(features.map((f: any) => f.id)).toEqual(['h', 'pet', 'coop', 'bench', 'phone']);
    expect(counts).toEqual({ features: 5, mapped: 1, unmapped: 4, errors: 0 });
    expect(features[0]).toMatchObject({
      index: 0,
      name: '簇桥社区卫生服务中心',
      categories: ['hospital', 'clinic'],
      via: 'osm',
      matched: [{ source: 'osm', rule: 'amenity=hospital', categories: ['hospital'], names: [{ word: '卫生服务中心', category: 'clinic' }] }],
      excluded: [],
    });
    expect(features[1]).toMatchObject({
      categories: [],
      excluded: [{ rule: 'animals', categories: ['clinic'], because: 'name contains 宠物' }],
      reason: expect.stringContaining('excluded: clinic by animals'),
    });
    expect(features[2].excluded).toEqual([expect.objectContaining({ rule: 'cooperative', categories: ['community_service_station'], because: 'name contains 经济合作社' })]);
    expect(features[3]).toMatchObject({ categories: [], matched: [], reason: 'no category; OSM tags amenity=bench not mapped' });
    expect(features[4].reason).toMatch(/shop=mobile_phone not mapped: a phone shop sells phones/);
  });

  it('gives coverage\u2019s unmapped reasons word for word', async () => {
    const body = fc(feature({ id: 'a', amenity: 'clinic', name: '安安宠物诊所' }), feature({ id: 'b', leisure: 'stadium', name: '成都体育中心' }), feature({ id: 'c', typecode: '080110', name: '锦城游泳馆' }));
    const { features } = (await post(body)).json();
    const read = readFacilities(body);
    expect(read.unmapped.examples.map((e) => e.reason)).toEqual(features.map((f: any) => f.reason));
  });

  it('reports bad input on the feature, never as a failed request', async () => {
    const res = await post(
      fc(
        feature({ id: 'typo', category: 'clinc' }),
        feature({ id: 'code', typecode: '09030', name: '仁爱诊所' }),
        feature({ id: 'code7', typecode: '0903000', type: '医疗保健服务;诊所;诊所', name: '仁爱诊所' }),
        feature({ id: 'blank', amenity: 'clinic', name: '  ' }),
        feature({ id: 'odd', amenity: 'bench', foo: 'bar' }),
        'not a feature',
        feature({ id: 'typo' }),
      ),
    );
    expect(res.statusCode).toBe(200);
    const { features, counts } = res.json();
    expect(counts).toEqual({ features: 7, mapped: 2, unmapped: 2, errors: 3 });
    expect(features[0]).toMatchObject({ categories: [], error: 'category: got "clinc", expected a facility category id (did you mean "clinic"?)' });
    expect(features[1]).toMatchObject({ categories: [], warnings: ['typecode "09030": expected six digits (大类, 中类, 小类: two each, e.g. 090300)'] });
    expect(features[2]).toMatchObject({ categories: ['clinic'], via: 'amap', warnings: [expect.stringContaining('"0903000"')] });
    expect(features[3]).toMatchObject({ categories: ['clinic'], warnings: [expect.stringMatching(/^name is empty/)] });
    expect(features[4]).toMatchObject({ categories: [], reason: 'no category; OSM tags amenity=bench not mapped' });
    expect(features[5].error).toMatch(/feature 5: got a string, expected a GeoJSON Feature/);
    expect(features[6].error).toMatch(/repeats feature 0/);
  });

  it('refuses what is not a FeatureCollection, and reads bodies past the worker threshold', async () => {
    const notCollection = await post({ type: 'Feature', properties: {}, geometry: null });
    expect(notCollection.statusCode).toBe(400);
    expect(notCollection.json()).toMatchObject({ code: 'INVALID_GEOJSON' });
    // 1 KiB is this app's worker threshold: the body arrives unparsed and is read here all the same.
    const many = fc(...Array.from({ length: 50 }, (_, i) => feature({ id: `s${i}`, shop: 'convenience', name: `便利店${i}` })));
    const res = await post(many);
    expect(res.statusCode).toBe(200);
    expect(res.json().counts).toEqual({ features: 50, mapped: 50, unmapped: 0, errors: 0 });
  });
});
