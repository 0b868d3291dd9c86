import { describe, expect, it } from 'vitest';
import { AMAP_RULES, amapCategories, ruleForCode, ruleForType } from '../../src/core/facilities/amap-mapping.ts';
import { isCategory } from '../../src/core/facilities/categories.ts';

describe('the Amap rule table', () => {
  it('has unique six-digit codes, known categories, and 中类 rows ending in 00', () => {
    const codes = new Set<string>();
    for (const rule of AMAP_RULES) {
      expect(rule.code).toMatch(/^\d{6}$/);
      expect(codes.has(rule.code), rule.code).toBe(false);
      codes.add(rule.code);
      if (rule.small === undefined) expect(rule.code.endsWith('00'), `${rule.code} ${rule.mid}`).toBe(true);
      for (const c of rule.categories) expect(isCategory(c), `${rule.code} → ${c}`).toBe(true);
    }
  });

  it('finds real POIs\u2019 classes by code and by text, the most specific row first', () => {
    // 060411 屈臣氏 is a drugstore chain Amap files under 超级市场: its own row says so.
    expect(ruleForCode('060411')?.small).toBe('屈臣氏');
    expect(ruleForType('购物服务;超级市场;屈臣氏')?.code).toBe('060411');
    // 060401 家乐福 has no row: its 中类 answers.
    expect(ruleForCode('060401')?.code).toBe('060400');
    expect(ruleForType('购物服务;超级市场;家乐福')?.code).toBe('060400');
    expect(ruleForType('医疗保健服务;动物医疗场所;宠物诊所')?.code).toBe('090700');
    expect(ruleForCode('9030')).toBeUndefined();
    expect(ruleForCode('999999')).toBeUndefined();
  });
});

describe('amapCategories by code', () => {
  it.each([
    ['060200', ['convenience_store']],
    ['060201', ['convenience_store']], // 7-ELEVEn through its 中类
    ['060400', ['supermarket']],
    ['060401', ['supermarket']], // 家乐福
    ['060411', []], // 屈臣氏: a drugstore filed under 超级市场
    ['050102', ['restaurant']], // 四川菜
    ['050500', []], // 咖啡厅
    ['060703', ['fresh_market']],
    ['060704', []], // 果品市场: left to the name
    ['070400', ['post_office']],
    ['070500', ['parcel_point']],
    ['070603', ['telecom_service']], // 中国移动营业厅
    ['070701', ['legal_service']],
    ['070702', []], // 会计师事务所
    ['070800', ['employment_service']],
    ['071200', ['repair_service']],
    ['071600', ['estate_agent']],
    ['080104', ['sports_ground']], // 篮球场馆 through 运动场馆
    ['080101', ['sports_centre']],
    ['080108', ['fitness_trail']],
    ['080111', []], // 健身中心
    ['090100', ['hospital']],
    ['090101', ['hospital']], // 三级甲等医院
    ['090102', ['hospital', 'clinic']], // 卫生院
    ['090300', ['clinic']],
    ['090601', ['pharmacy']],
    ['090602', []],
    ['110101', ['park']],
    ['110105', ['square']],
    ['110102', []], // 动物园
    ['130106', ['community_service_station']],
    ['130501', ['police']],
    ['140100', ['museum']],
    ['140500', ['library']],
    ['140800', ['cultural_centre']],
    ['141202', ['secondary_school']],
    ['141203', ['primary_school']],
    ['141204', ['kindergarten']],
    ['141201', []],
    ['150500', ['metro_station']],
    ['150501', ['metro_station']], // 出入口
    ['150702', ['bus_stop']],
    ['150400', []], // 长途汽车站
    ['160105', ['bank']], // 中国工商银行
    ['160300', ['atm']],
    ['200300', ['public_toilet']],
    ['200304', []],
    ['120302', []], // 住宅小区
    ['999999', []],
  ])('%s → %o', (code, expected) => {
    expect(amapCategories(code, undefined, undefined).categories).toEqual(expected);
  });

  it('takes a code that a spreadsheet turned into a number', () => {
    expect(amapCategories(60200, undefined, undefined).categories).toEqual(['convenience_store']);
  });

  it('merges codes joined with |, each at its most specific row', () => {
    expect(amapCategories('060200|160300', undefined, undefined)).toMatchObject({
      categories: ['convenience_store', 'atm'],
      matched: ['060200 便民商店/便利店', '160300 自动提款机'],
      codes: ['060200', '160300'],
      warnings: [],
    });
  });

  it('names codes of the wrong length and reads the rest', () => {
    expect(amapCategories('09030|160300', undefined, undefined)).toMatchObject({
      categories: ['atm'],
      codes: ['160300'],
      warnings: ['typecode "09030": expected six digits (大类, 中类, 小类: two each, e.g. 090300)'],
    });
    // Nothing readable in the code: the text decides.
    expect(amapCategories('0903000', '医疗保健服务;诊所;诊所', '仁爱诊所').categories).toEqual(['clinic']);
  });
});

describe('amapCategories by type text', () => {
  it.each([
    ['医疗保健服务;诊所;诊所', ['clinic']],
    ['购物服务;便民商店/便利店;便民商店/便利店', ['convenience_store']],
    ['购物服务;超级市场;屈臣氏', []],
    ['购物服务;超级市场;某新连锁超市', ['supermarket']], // an unknown 小类 falls back to its 中类
    ['购物服务;综合市场;蔬菜市场', ['fresh_market']],
    ['交通设施服务;公交车站;公交车站相关', ['bus_stop']],
    ['科教文化服务;学校;幼儿园', ['kindergarten']],
    ['生活服务;电讯营业厅;中国联通营业厅', ['telecom_service']],
    ['风景名胜;公园广场;城市广场', ['square']],
    ['餐饮服务;咖啡厅;咖啡厅', []],
    ['诊所', ['clinic']], // a bare 中类
    ['幼儿园', ['kindergarten']], // a bare 小类
    ['医疗保健服务;诊所;诊所|金融保险服务;自动提款机;中国银行ATM', ['clinic', 'atm']],
  ])('%s → %o', (type, expected) => {
    expect(amapCategories(undefined, type, undefined).categories).toEqual(expected);
  });

  it('reads the text only when no code is known', () => {
    // The code decides.
    expect(amapCategories('090300', '购物服务;超级市场;超市', undefined).categories).toEqual(['clinic']);
    // An unknown code hands over to the text.
    expect(amapCategories('999999', '购物服务;超级市场;超市', undefined).categories).toEqual(['supermarket']);
    expect(amapCategories('', '购物服务;超级市场;超市', undefined).categories).toEqual(['supermarket']);
  });
});

describe('amapCategories with names', () => {
  it.each([
    ['130100', '东湖街道党群服务中心', ['party_community_centre']],
    ['130104', '越秀区政务服务中心', ['government_service_centre']],
    ['130106', '东湖社区居委会', ['community_service_station']],
    // 130106 is where Amap files the 居委会 under the bare community name; a name that says what it is decides.
    ['130106', '玉林北路社区', ['community_service_station']],
    ['130106', '石门村党群服务中心', ['party_community_centre']],
    ['130106', '石牌村卫生室', ['clinic']],
    ['060305', '中国移动(玉林合作营业厅)', ['telecom_service']],
    ['060305', 'OPPO专卖店', []],
    ['140400', '四川美术馆', []],
    ['060700', '东风菜市场', ['fresh_market']],
    ['060700', '东风小商品市场', []],
    ['070000', '好帮手家政服务', ['domestic_service']],
    ['070000', '菜鸟驿站(东湖店)', ['parcel_point']],
    ['070000', '东湖社区日间照料中心', ['elderly_day_care']],
    ['090000', '东湖社区卫生服务站', ['clinic']],
    ['110100', '人民公园', ['park']],
    ['110100', '天河城市广场', ['square']],
    ['110204', '广州起义纪念馆', ['museum', 'red_education_base']],
    ['140200', '红色文化展览馆', ['red_education_base']],
    ['141200', '东湖小学', ['primary_school']],
    ['141400', '东湖社区老年大学', ['senior_college']],
    ['120304', '东湖社区新时代文明实践站', ['civilization_practice_station']],
    ['120304', '东湖社区活动中心', ['community_centre']],
  ])('%s %s → %o', (code, name, expected) => {
    expect(amapCategories(code, undefined, name).categories).toEqual(expected);
  });
});
