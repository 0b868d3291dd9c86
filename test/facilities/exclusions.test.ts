/**
 * Each exclusion and each documented choice (docs/categories.md), on facilities named and tagged as
 * real data has them, from OSM and from Amap: the two sources must agree.
 */
import { describe, expect, it } from 'vitest';
import { explainCategories } from '../../src/core/facilities/categorize.ts';
import { EXCLUSIONS, cityLevelInstitution } from '../../src/core/facilities/exclusions.ts';

const categoriesOf = (properties: Record<string, unknown>) => explainCategories(properties).categories;
const excludedBy = (properties: Record<string, unknown>) => explainCategories(properties).excluded.map((e) => e.rule);

describe('exclusions apply to every source alike', () => {
  it.each([
    // [exclusion, OSM feature, Amap feature]
    ['animals', { amenity: 'clinic', name: '瑞鹏宠物医院' }, { typecode: '090300', type: '医疗保健服务;诊所;诊所', name: '瑞鹏宠物医院(玉林店)' }],
    ['animals', { amenity: 'veterinary', healthcare: 'clinic', name: '芭比堂动物医院' }, { type: '医疗保健服务;动物医疗场所;宠物诊所', name: '芭比堂动物医院' }],
    ['cosmetic', { amenity: 'hospital', name: '成都美莱医学美容医院' }, { typecode: '090201', name: '成都美莱医学美容医院' }],
    ['cosmetic', { amenity: 'clinic', 'healthcare:speciality': 'plastic_surgery', name: '米兰柏羽' }, { typecode: '090200', type: '医疗保健服务;专科医院;整形美容', name: '米兰柏羽' }],
    ['dental', { amenity: 'clinic', name: '拜博口腔门诊' }, { typecode: '090300', name: '拜博口腔门诊' }],
    ['dental', { amenity: 'hospital', healthcare: 'hospital', name: '四川大学华西口腔医院' }, { typecode: '090200', name: '四川大学华西口腔医院' }],
    ['city_level', { amenity: 'library', name: '四川省图书馆' }, { typecode: '140500', name: '四川省图书馆' }],
    ['city_level', { tourism: 'museum', name: '成都博物馆' }, { typecode: '140100', name: '成都博物馆' }],
    ['city_level', { leisure: 'sports_centre', name: '四川省体育馆' }, { typecode: '080101', name: '四川省体育馆' }],
    ['campus', { amenity: 'library', name: '西南民族大学图书馆' }, { typecode: '140500', name: '西南民族大学图书馆' }],
    ['campus', { leisure: 'pitch', sport: 'soccer', name: '成都七中足球场' }, { typecode: '080105', name: '成都七中足球场' }],
    ['paid_sport', { leisure: 'sports_centre', sport: 'swimming', name: '锦城游泳馆' }, { typecode: '080100', name: '锦城游泳馆' }],
    ['stadium', { leisure: 'pitch', name: '成都体育中心' }, { typecode: '080100', name: '成都体育中心' }],
    ['vehicles', { shop: 'repair', name: '小王汽车维修' }, { typecode: '071200', name: '小王汽车维修' }],
    ['vehicles', { shop: 'yes', name: '宏达摩托车修理' }, { typecode: '070000', name: '宏达摩托车修理' }],
    ['cooperative', { amenity: 'townhall', name: '石牌村经济合作社' }, { typecode: '130106', name: '石牌村经济合作社' }],
  ] as [string, Record<string, unknown>, Record<string, unknown>][])('%s: %o and %o count for nothing', (rule, osm, amap) => {
    for (const properties of [osm, amap]) {
      const explained = explainCategories(properties);
      expect(explained.categories, JSON.stringify(properties)).toEqual([]);
      // Where a row gave something, the exclusion took it; some rows give nothing already (090700, 090201).
      const gave = explained.matched.some((m) => m.categories.length > 0 || (m.names ?? []).length > 0);
      if (gave) expect(excludedBy(properties), JSON.stringify(properties)).toContain(rule);
    }
    expect(excludedBy(osm).includes(rule) || excludedBy(amap).includes(rule), 'the exclusion applies to one of them at least').toBe(true);
  });

  it('takes away only the categories an exclusion lists', () => {
    // A bus stop named after the zoo stays a bus stop; a dental clinic in a 卫生院 would lose only care.
    expect(categoriesOf({ highway: 'bus_stop', name: '动物园' })).toEqual(['bus_stop']);
    expect(categoriesOf({ typecode: '150700', name: '宠物市场(公交站)' })).toEqual(['bus_stop']);
    // The city's park is a park (the item is green space, whoever runs it); its library is not the community's.
    expect(categoriesOf({ leisure: 'park', name: '成都人民公园' })).toEqual(['park']);
    // A pupil's school is private ground, and still the school.
    expect(categoriesOf({ amenity: 'school', access: 'private', name: '成都市泡桐树小学' })).toEqual(['primary_school']);
    // A shop's customers are its public: access=customers leaves shops alone.
    expect(categoriesOf({ shop: 'convenience', access: 'customers', name: '7-Eleven' })).toEqual(['convenience_store']);
    // A bank's ATM in a members' club is still an ATM; the club's pool is not public sport.
    expect(categoriesOf({ leisure: 'sports_centre', name: '某小区会所' })).toEqual([]);
  });

  it('reads access: private and no close everything, customers and members close the public places', () => {
    expect(excludedBy({ amenity: 'library', access: 'private', name: '西南交通大学图书馆' })).toEqual(['private']);
    expect(categoriesOf({ amenity: 'clinic', access: 'private', name: '某公司医务室' })).toEqual([]);
    expect(categoriesOf({ amenity: 'toilets', access: 'customers' })).toEqual([]);
    expect(categoriesOf({ leisure: 'playground', access: 'no' })).toEqual([]);
    expect(categoriesOf({ leisure: 'park', access: 'permissive', name: '玉林口袋公园' })).toEqual(['park']);
  });

  it('does not second-guess a category the data gives', () => {
    expect(explainCategories({ category: 'clinic', name: '瑞鹏宠物医院' })).toMatchObject({ categories: ['clinic'], via: 'category', excluded: [] });
  });

  it('are documented, each with its reason', () => {
    for (const e of EXCLUSIONS) expect(e.why.length, e.id).toBeGreaterThan(20);
    expect(new Set(EXCLUSIONS.map((e) => e.id)).size).toBe(EXCLUSIONS.length);
  });
});

describe('the documented choices', () => {
  it.each([
    // [what, OSM feature, Amap feature, categories]
    ['a phone shop is not a carrier\u2019s counter', { shop: 'mobile_phone', name: '华为授权体验店' }, { typecode: '060305', name: '华为授权体验店' }, []],
    ['a carrier\u2019s counter is', { shop: 'mobile_phone', name: '中国移动营业厅(春熙路)' }, { typecode: '070603', name: '中国移动营业厅(春熙路)' }, ['telecom_service']],
    ['a gallery is not a cultural centre', { amenity: 'arts_centre', name: '四川美术馆' }, { typecode: '140400', name: '四川美术馆' }, []],
    ['a district cultural hall is', { amenity: 'arts_centre', name: '青羊区文化馆' }, { typecode: '140000', name: '青羊区文化馆' }, ['cultural_centre']],
    ['a district library is a library', { amenity: 'library', name: '武侯区图书馆' }, { typecode: '140500', name: '武侯区图书馆' }, ['library']],
    ['a memorial hall is a red education base (and a museum)', { tourism: 'museum', name: '中共三大会址纪念馆' }, { typecode: '110204', name: '中共三大会址纪念馆' }, ['museum', 'red_education_base']],
    ['a museum is not red by itself', { tourism: 'museum', name: '恩宁路社区博物馆' }, { typecode: '140100', name: '恩宁路社区博物馆' }, ['museum']],
    ['a stadium is not an exercise ground', { leisure: 'stadium', name: '双流体育场' }, { typecode: '080100', name: '双流体育场' }, []],
    ['a gym is not public sport', { leisure: 'fitness_centre', name: '一兆韦德健身' }, { typecode: '080111', name: '一兆韦德健身' }, []],
    ['a coach station is not a bus stop', { amenity: 'bus_station', name: '城北客运中心' }, { typecode: '150400', name: '城北客运中心' }, []],
    ['a party & community service centre is that, not also a community centre', { amenity: 'community_centre', name: '玉林北路社区党群服务中心' }, { typecode: '120304', name: '玉林北路社区党群服务中心' }, ['party_community_centre']],
    ['a township health centre is care', { amenity: 'hospital', name: '石板滩镇卫生院' }, { typecode: '090102', name: '石板滩镇卫生院' }, ['hospital', 'clinic']],
  ] as [string, Record<string, unknown>, Record<string, unknown>, string[]][])('%s', (_what, osm, amap, expected) => {
    expect(categoriesOf(osm), 'OSM').toEqual(expected);
    expect(categoriesOf(amap), 'Amap').toEqual(expected);
  });
});

describe('cityLevelInstitution', () => {
  it.each([
    ['四川省图书馆', '四川省'],
    ['成都图书馆', '成都'],
    ['成都市群众艺术馆', '成都市'],
    ['广东省立中山图书馆', '广东省'],
    ['四川美术馆', '四川'],
    ['中国国家图书馆', '中国'],
    ['成都武侯祠博物馆', '成都'],
    ['武侯区图书馆', undefined],
    ['成都市武侯区图书馆', undefined],
    ['成都图书馆玉林分馆', undefined],
    ['四川大学博物馆', undefined],
    ['成都八中体育馆', undefined],
    ['广州起义纪念馆', undefined],
  ])('%s → %s', (name, expected) => {
    expect(cityLevelInstitution(name)).toBe(expected);
  });
});
