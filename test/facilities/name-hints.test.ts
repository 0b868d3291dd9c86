import { describe, expect, it } from 'vitest';
import { isCategory } from '../../src/core/facilities/categories.ts';
import { NAME_HINTS, type NameHintId, nameHintCategories, nameHintMatches } from '../../src/core/facilities/name-hints.ts';

const ALL = Object.keys(NAME_HINTS) as NameHintId[];

describe('the name-hint table', () => {
  it('points at known categories and has words', () => {
    for (const [id, hint] of Object.entries(NAME_HINTS)) {
      expect(isCategory(hint.category), id).toBe(true);
      expect(hint.contains.length, id).toBeGreaterThan(0);
    }
  });

});

describe('nameHintCategories', () => {
  it.each([
    ['东湖社区党群服务中心', ['party_community_centre']],
    ['越秀区东湖社区居民委员会', ['community_service_station']],
    ['石门村村委会', ['community_service_station']],
    ['东湖社区服务站', ['community_service_station']],
    ['越秀区政务服务中心', ['government_service_centre']],
    ['东湖社区新时代文明实践站', ['civilization_practice_station']],
    ['东湖社区日间照料中心', ['elderly_day_care']],
    ['东湖颐康中心', ['elderly_care']],
    ['越秀区社会养老保险局', []],
    ['八里庄菜市场', ['fresh_market']],
    ['东湖农产品批发市场', []],
    ['东山口菜鸟驿站', ['parcel_point']],
    ['东湖城市驿站', []],
    ['小李家电维修', ['repair_service']],
    // The hints say what a name suggests; pets and cars are the exclusions' (exclusions.ts), for every source.
    ['顺达汽车维修', ['repair_service']],
    ['安安宠物诊所', ['clinic']],
    ['中共三大会址纪念馆', ['red_education_base']],
    ['黄埔军校旧址', ['red_education_base']],
    ['成都永陵博物馆', []],
    ['中国移动(春熙路营业厅)', ['telecom_service']],
    ['青羊区文化馆', ['cultural_centre']],
    ['东湖社区卫生服务站', ['clinic']],
    ['东湖社区党群服务中心（居委会）', ['party_community_centre', 'community_service_station']],
    ['某某公司', []],
  ])('%s → %o', (name, expected) => {
    expect(nameHintCategories(name, ALL)).toEqual(expected);
  });

  it('says which word met which hint', () => {
    expect(nameHintMatches('东湖社区党群服务中心(新时代文明实践站)', ALL)).toEqual([
      { hint: 'party', word: '党群服务', category: 'party_community_centre' },
      { hint: 'civilization', word: '新时代文明实践', category: 'civilization_practice_station' },
    ]);
  });

  it('applies only the hints it is given', () => {
    expect(nameHintCategories('八里庄菜市场站', ['party'])).toEqual([]);
    expect(nameHintCategories(undefined, ALL)).toEqual([]);
    expect(nameHintCategories('', ALL)).toEqual([]);
  });
});
