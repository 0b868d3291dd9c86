import { describe, expect, it } from 'vitest';
import { isCategory } from '../../src/core/facilities/categories.ts';
import {
  OSM_RULES,
  describeOsmTags,
  hasOsmTags,
  osmCategories,
  osmMatches,
  parseCondition,
  schoolCategories,
} from '../../src/core/facilities/osm-mapping.ts';

describe('the OSM rule table', () => {
  it('uses only known categories and well-formed conditions', () => {
    for (const rule of OSM_RULES) {
      for (const c of rule.categories) expect(isCategory(c), `${rule.tag} → ${c}`).toBe(true);
      expect(() => [rule.tag, ...(rule.if ?? []), ...(rule.unless ?? [])].map(parseCondition)).not.toThrow();
    }
    expect(() => parseCondition('amenity')).toThrow(/expected key=value/);
  });
});

describe('osmCategories', () => {
  it.each([
    // [tags, expected categories]
    [{ amenity: 'clinic' }, ['clinic']],
    [{ amenity: 'doctors' }, ['clinic']],
    [{ amenity: 'hospital', healthcare: 'hospital', name: '四川大学华西医院' }, ['hospital']],
    // A community health centre drawn as a hospital is the clinic it is too.
    [{ amenity: 'hospital', name: '簇桥社区卫生服务中心' }, ['hospital', 'clinic']],
    [{ healthcare: 'centre' }, ['clinic']],
    [{ healthcare: 'dentist' }, []],
    [{ amenity: 'pharmacy' }, ['pharmacy']],
    [{ amenity: 'kindergarten' }, ['kindergarten']],
    [{ amenity: 'kindergarten', name: '阳光托儿所幼儿园' }, ['kindergarten', 'nursery']],
    [{ amenity: 'childcare' }, ['nursery']],
    [{ amenity: 'bank' }, ['bank']],
    [{ amenity: 'bank', atm: 'yes' }, ['bank', 'atm']],
    [{ amenity: 'atm' }, ['atm']],
    [{ amenity: 'post_office' }, ['post_office']],
    [{ amenity: 'library' }, ['library']],
    [{ amenity: 'police' }, ['police']],
    [{ amenity: 'toilets' }, ['public_toilet']],
    [{ amenity: 'restaurant' }, ['restaurant']],
    [{ amenity: 'fast_food' }, ['restaurant']],
    [{ amenity: 'food_court' }, ['restaurant']],
    [{ amenity: 'cafe' }, []],
    [{ amenity: 'canteen', name: '长者饭堂' }, ['restaurant', 'elderly_care']],
    [{ amenity: 'canteen', name: '某公司食堂' }, []],
    [{ amenity: 'community_centre' }, ['community_centre']],
    // A hall whose name says what it is is that only, not also a 社区活动中心.
    [{ amenity: 'community_centre', name: '东湖社区党群服务中心' }, ['party_community_centre']],
    [{ amenity: 'community_centre', name: '东湖社区活动室' }, ['community_centre']],
    [{ amenity: 'townhall', name: '东湖社区居委会' }, ['community_service_station']],
    [{ amenity: 'townhall', name: '石门村村民委员会' }, ['community_service_station']],
    [{ amenity: 'townhall', name: '东湖街社区服务站' }, ['community_service_station']],
    [{ amenity: 'townhall', name: '越秀区人民政府' }, []],
    [{ amenity: 'townhall', name: '白云区政务服务中心' }, ['government_service_centre']],
    [{ office: 'government', name: '黄花岗街道便民服务中心' }, ['government_service_centre']],
    [{ office: 'government', government: 'public_service', name: '成都市政务服务中心' }, ['government_service_centre']],
    [{ office: 'government', name: '青羊区政府' }, []],
    [{ amenity: 'social_facility', social_facility: 'day_care', 'social_facility:for': 'senior' }, ['elderly_day_care']],
    [{ amenity: 'social_facility', social_facility: 'day_care' }, ['elderly_day_care']],
    [{ amenity: 'social_facility', social_facility: 'day_care', 'social_facility:for': 'child' }, []],
    [{ amenity: 'social_facility', social_facility: 'assisted_living', 'social_facility:for': 'senior' }, ['elderly_care']],
    [{ amenity: 'social_facility', social_facility: 'outreach', name: '东山街社工站' }, ['social_work_station']],
    [{ amenity: 'nursing_home' }, ['elderly_care']],
    [{ amenity: 'arts_centre' }, []],
    [{ amenity: 'arts_centre', name: '青羊区文化馆' }, ['cultural_centre']],
    [{ amenity: 'arts_centre', name: '四川美术馆' }, []],
    [{ tourism: 'gallery', name: '成都当代美术馆' }, []],
    [{ amenity: 'recycling', recycling_type: 'centre' }, ['recycling_point']],
    [{ amenity: 'recycling', recycling_type: 'container' }, []],
    [{ amenity: 'bus_station', name: '五块石公交站场' }, ['bus_stop']],
    [{ amenity: 'bus_station', name: '城北客运中心' }, []],
    [{ amenity: 'bus_station', name: '茶店子长途汽车站' }, []],
    [{ amenity: 'parcel_locker' }, ['parcel_point']],
    [{ office: 'courier' }, ['parcel_point']],
    [{ amenity: 'marketplace' }, ['fresh_market']],
    [{ amenity: 'marketplace', name: '八里庄菜市场' }, ['fresh_market']],
    [{ amenity: 'marketplace', name: '解放路农贸市场' }, ['fresh_market']],
    [{ amenity: 'marketplace', name: '城北电子城' }, []],
    [{ amenity: 'marketplace', name: '某某农产品批发市场' }, []],
    [{ shop: 'greengrocer', name: '蒋氏果行' }, []],
    [{ shop: 'butcher', name: '东门肉菜市场' }, ['fresh_market']],
    [{ shop: 'convenience' }, ['convenience_store']],
    [{ shop: 'supermarket' }, ['supermarket']],
    // A phone shop is a carrier's counter only when its name says so, as Amap's 手机销售.
    [{ shop: 'mobile_phone', name: '小米之家' }, []],
    [{ shop: 'mobile_phone', name: '中国移动营业厅(春熙路)' }, ['telecom_service']],
    [{ shop: 'mobile_phone', name: '手机快修', repair: 'yes' }, ['repair_service']],
    [{ shop: 'telecommunication', name: '中国电信营业厅' }, ['telecom_service']],
    [{ shop: 'bicycle', 'service:bicycle:repair': 'yes', name: '阿强自行车修理' }, ['repair_service']],
    [{ shop: 'bicycle', name: '捷安特' }, []],
    [{ shop: 'electronics' }, []],
    [{ shop: 'electronics', 'service:electronics:repair': 'yes' }, ['repair_service']],
    [{ shop: 'repair' }, ['repair_service']],
    [{ craft: 'electronics_repair' }, ['repair_service']],
    [{ craft: 'shoemaker' }, ['repair_service']],
    [{ shop: 'yes', name: '小李家电维修' }, ['repair_service']],
    [{ shop: 'yes', name: '好帮手家政' }, ['domestic_service']],
    [{ shop: 'estate_agent' }, ['estate_agent']],
    [{ office: 'estate_agent' }, ['estate_agent']],
    [{ office: 'telecommunication' }, ['telecom_service']],
    [{ office: 'employment_agency' }, ['employment_service']],
    [{ office: 'lawyer' }, ['legal_service']],
    [{ office: 'notary' }, ['legal_service']],
    [{ leisure: 'park' }, ['park']],
    [{ leisure: 'garden' }, ['park']],
    [{ leisure: 'common' }, ['park']],
    [{ leisure: 'playground' }, ['playground']],
    [{ leisure: 'pitch', sport: 'basketball' }, ['sports_ground']],
    [{ leisure: 'sports_centre' }, ['sports_centre']],
    [{ leisure: 'fitness_station' }, ['fitness_trail']],
    [{ leisure: 'fitness_centre' }, []],
    [{ leisure: 'swimming_pool' }, []],
    [{ leisure: 'stadium', name: '成都体育中心' }, []],
    [{ highway: 'bus_stop' }, ['bus_stop']],
    [{ public_transport: 'platform', bus: 'yes' }, ['bus_stop']],
    [{ public_transport: 'platform' }, []],
    [{ railway: 'station', station: 'subway' }, ['metro_station']],
    [{ railway: 'station', subway: 'yes' }, ['metro_station']],
    [{ railway: 'station' }, []],
    [{ public_transport: 'stop_position', subway: 'yes' }, ['metro_station']],
    [{ railway: 'subway_entrance' }, ['metro_station']],
    [{ tourism: 'museum' }, ['museum']],
    [{ tourism: 'museum', name: '八路军驻桂林办事处旧址革命纪念馆' }, ['museum', 'red_education_base']],
    [{ tourism: 'museum', name: '中共三大会址纪念馆' }, ['museum', 'red_education_base']],
    [{ tourism: 'museum', name: '成都永陵博物馆' }, ['museum']],
    [{ historic: 'memorial', name: '保路运动纪念碑' }, []],
    [{ historic: 'memorial', name: '红军长征纪念碑' }, ['red_education_base']],
    [{ historic: 'memorial', name: '广州起义烈士陵园' }, ['red_education_base']],
    [{ place: 'square' }, ['square']],
    [{ highway: 'pedestrian', area: 'yes' }, ['square']],
    [{ highway: 'pedestrian' }, []],
    [{ amenity: 'bench' }, []],
  ] as [Record<string, string>, string[]][])('%o → %o', (tags, expected) => {
    expect(osmCategories(tags)).toEqual(expected);
  });

  it('says which rows applied, with the name hints each took and the note of a row that maps nothing', () => {
    expect(osmMatches({ amenity: 'hospital', name: '簇桥社区卫生服务中心' })).toEqual([
      { rule: 'amenity=hospital', categories: ['hospital'], hints: [{ hint: 'clinic', word: '卫生服务中心', category: 'clinic' }] },
    ]);
    expect(osmMatches({ leisure: 'stadium' })).toEqual([{ rule: 'leisure=stadium', categories: [], hints: [], note: expect.stringContaining('venue for events') }]);
    expect(osmMatches({ amenity: 'recycling', recycling_type: 'container' })).toEqual([]);
    expect(osmMatches({ amenity: 'social_facility', social_facility: 'day_care', 'social_facility:for': 'senior' }).map((m) => m.rule)).toEqual([
      'amenity=social_facility, social_facility=day_care, social_facility:for=senior',
      'amenity=social_facility',
    ]);
  });

  it('takes name:zh when there is no name', () => {
    expect(osmCategories({ amenity: 'townhall', 'name:zh': '东湖社区居委会' })).toEqual(['community_service_station']);
  });
});

describe('schoolCategories', () => {
  it.each([
    [{ 'isced:level': '1' }, undefined, ['primary_school']],
    [{ 'isced:level': '2;3' }, '某某学校', ['secondary_school']],
    [{ 'isced:level': '1-2' }, undefined, ['primary_school', 'secondary_school']],
    [{ 'isced:level': '0' }, undefined, ['kindergarten']],
    [{ 'isced:level': '5' }, '某某学院', []],
    [{ school: 'secondary' }, undefined, ['secondary_school']],
    [{}, '成都市成华小学', ['primary_school']],
    [{}, '电子科技大学附实小蓝水湾校区', ['primary_school']],
    [{}, '列五中学', ['secondary_school']],
    [{}, '成都49中', ['secondary_school']],
    [{}, '成都铁中', ['secondary_school']],
    [{}, '成都七中嘉祥外国语学校成华校区', ['secondary_school']],
    [{}, '成都市实验外国语学校（高中部）', ['secondary_school']],
    [{}, '石室中学初中（培华校区）', ['secondary_school']],
    [{}, '成都市第二中心小学', ['primary_school']],
    [{}, '某某九年一贯制学校附小初中部', ['primary_school', 'secondary_school']],
    [{}, '千里马大地幼儿园', ['kindergarten']],
    [{}, '西南交通大学 - Xinan Jiaotong University', []],
    [{}, '成都树才培训学校', []],
    [{}, '成华区教师进修学校', []],
    [{}, '新方舟学校', ['primary_school']],
    [{}, undefined, ['primary_school']],
  ] as [Record<string, string>, string | undefined, string[]][])('%o %s → %o', (tags, name, expected) => {
    expect(schoolCategories({ amenity: 'school', ...tags }, name)).toEqual(expected);
    // …and through the table.
    expect(osmCategories({ amenity: 'school', ...tags, ...(name ? { name } : {}) })).toEqual(expected);
  });
});

describe('hasOsmTags / describeOsmTags', () => {
  it('recognise the tag keys and describe them for reasons', () => {
    expect(hasOsmTags({ amenity: 'bench' })).toBe(true);
    expect(hasOsmTags({ name: 'x', category: 'clinic' })).toBe(false);
    expect(hasOsmTags({ amenity: 5 })).toBe(false);
    expect(describeOsmTags({ amenity: 'bench', name: 'x' })).toBe('amenity=bench');
    expect(describeOsmTags({ amenity: 'toilets', access: 'private' })).toBe('amenity=toilets, access=private');
    // `building` is left out next to a more telling key.
    expect(describeOsmTags({ building: 'yes', shop: 'gift' })).toBe('shop=gift');
    expect(describeOsmTags({ building: 'yes' })).toBe('building=yes');
  });
});
