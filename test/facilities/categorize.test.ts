import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { categorize, nearestCategory, parseCategories } from '../../src/core/facilities/categorize.ts';

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseCategories', () => {
  it.each([
    ['clinic', ['clinic']],
    ['clinic;pharmacy', ['clinic', 'pharmacy']],
    ['clinic, pharmacy', ['clinic', 'pharmacy']],
    ['clinic|pharmacy', ['clinic', 'pharmacy']],
    ['clinic；pharmacy，bank', ['clinic', 'pharmacy', 'bank']],
    [['clinic', ' pharmacy '], ['clinic', 'pharmacy']],
    ['clinic;clinic', ['clinic']],
    ['', []],
    [[], []],
    [undefined, []],
    [null, []],
  ] as [unknown, string[]][])('%o → %o', (value, expected) => {
    expect(parseCategories(value)).toEqual(expected);
  });

  it('names an unknown id and suggests the nearest', () => {
    const err = thrown(() => parseCategories('clinc'));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.where).toBe('category');
    expect(err.message).toBe('category: got "clinc", expected a facility category id (did you mean "clinic"?)');
    expect(thrown(() => parseCategories('clinic;supermaket')).message).toMatch(/got "supermaket".*"supermarket"/);
  });

  it('rejects values that are not ids', () => {
    expect(thrown(() => parseCategories(5)).message).toBe(
      'category: got 5, expected a category id, an array of ids, or ids separated by ";" or ","',
    );
    expect(thrown(() => parseCategories(['clinic', 3])).message).toMatch(/got 3 in the list/);
  });
});

describe('nearestCategory', () => {
  it.each([
    ['clinc', 'clinic'],
    ['Bus stop', 'bus_stop'],
    ['bus-station', 'bus_stop'],
    ['便利店', 'convenience_store'],
    ['菜市场', 'fresh_market'],
    ['幼儿园', 'kindergarten'],
    ['toilet', 'public_toilet'],
    ['metro', 'metro_station'],
  ])('%s → %s', (value, expected) => {
    expect(nearestCategory(value)).toBe(expected);
  });
});

describe('categorize', () => {
  it('takes an explicit category first, then OSM tags, then Amap fields', () => {
    const all = { category: 'pharmacy', amenity: 'clinic', typecode: '060200' };
    expect(categorize(all)).toEqual({ categories: ['pharmacy'], via: 'category' });
    expect(categorize({ amenity: 'clinic', typecode: '060200' })).toEqual({ categories: ['clinic'], via: 'osm' });
    expect(categorize({ typecode: '060200' })).toEqual({ categories: ['convenience_store'], via: 'amap' });
    expect(categorize({ type: '医疗保健服务;诊所;诊所' })).toEqual({ categories: ['clinic'], via: 'amap' });
  });

  it('hands over to the next source when one maps to nothing', () => {
    expect(categorize({ category: '', amenity: 'clinic' })).toEqual({ categories: ['clinic'], via: 'osm' });
    expect(categorize({ amenity: 'cafe', typecode: '060200' })).toEqual({ categories: ['convenience_store'], via: 'amap' });
  });

  it('uses the name for Amap hints', () => {
    expect(categorize({ typecode: '130106', name: '东湖社区居委会' })).toEqual({ categories: ['community_service_station'], via: 'amap' });
    expect(categorize({ typecode: '060700', name: '东风菜市场' })).toEqual({ categories: ['fresh_market'], via: 'amap' });
  });

  it('says why when nothing maps', () => {
    expect(categorize({})).toEqual({ categories: [], unmapped: 'no category, OSM tags or Amap type' });
    expect(categorize({ name: '某某' })).toEqual({ categories: [], unmapped: 'no category, OSM tags or Amap type' });
    expect(categorize({ amenity: 'bench' })).toEqual({ categories: [], unmapped: 'no category; OSM tags amenity=bench not mapped' });
    expect(categorize({ amenity: 'toilets', access: 'private' })).toEqual({
      categories: [],
      unmapped: 'no category; OSM tags amenity=toilets, access=private excluded: public_toilet by private (closed to the public (access=private or no))',
    });
    expect(categorize({ leisure: 'stadium' })).toEqual({
      categories: [],
      unmapped: 'no category; OSM tags leisure=stadium not mapped: a stadium is a venue for events, not a 晨晚练体育活动点',
    });
    expect(categorize({ typecode: '050500', type: '餐饮服务;咖啡厅;咖啡厅' })).toEqual({
      categories: [],
      unmapped: 'no category; Amap typecode 050500, type 餐饮服务;咖啡厅;咖啡厅 not mapped',
    });
    expect(categorize({ amenity: 'cafe', typecode: '050500' })).toEqual({
      categories: [],
      unmapped: 'no category; OSM tags amenity=cafe not mapped; Amap typecode 050500 not mapped',
    });
  });

  it('ignores properties that are not strings when reading tags', () => {
    expect(categorize({ amenity: 'clinic', name: 42 })).toEqual({ categories: ['clinic'], via: 'osm' });
  });

  it('throws on a bad explicit category even when tags would map', () => {
    expect(thrown(() => categorize({ category: 'hospitl', amenity: 'hospital' })).message).toMatch(/did you mean "hospital"/);
  });
});
