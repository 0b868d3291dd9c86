import { describe, expect, it } from 'vitest';
import { csvToPoints, parseCsv } from '../../src/io/csv-points.ts';
import { readCommunities } from '../../src/communities/read-communities.ts';
import { readFacilities } from '../../src/facilities/read-facilities.ts';

describe('CSV points', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n')).toEqual([['a', 'b'], ['x, y', 'say "hi"']]);
    expect(parseCsv('a;b\n1;2')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('turns rows into points, with Chinese headers and numeric fields', () => {
    const fc = csvToPoints('\uFEFFid,name,经度,纬度,category,area_m2\nf1,"社区卫生站, 东",113.26,23.13,clinic,120\n');
    expect(fc.features).toEqual([
      { type: 'Feature', properties: { id: 'f1', name: '社区卫生站, 东', category: 'clinic', area_m2: 120 }, geometry: { type: 'Point', coordinates: [113.26, 23.13] } },
    ]);
    expect(readFacilities(fc).facilities[0]).toMatchObject({ id: 'f1', categories: ['clinic'], areaM2: 120 });
  });

  it('keeps a row with bad coordinates in place, so the reader names its row', () => {
    const fc = csvToPoints('id,lng,lat,category\na,113.2,23.1,bank\nb,,23.1,bank\nc,113.3,23.2,bank\nd,113.3,23.2°,bank\n');
    expect(fc.features.map((f) => f.geometry === null)).toEqual([false, true, false, true]);
    const read = readFacilities(fc);
    expect(read.facilities.map((f) => f.id)).toEqual(['a', 'c']);
    expect(read.errors).toEqual([
      expect.objectContaining({ index: 1, id: 'b', message: expect.stringContaining('CSV row 3, column "lng": empty, expected a number') }),
      expect.objectContaining({ index: 3, id: 'd', message: expect.stringContaining('CSV row 5, column "lat": "23.2°", expected a number') }),
    ]);
    const communities = readCommunities(csvToPoints('id,lon,lat\nhome,x,23.1\n'));
    expect(communities.errors).toEqual([expect.objectContaining({ index: 0, message: expect.stringContaining('CSV row 2, column "lon": "x", expected a number') })]);
  });

  it('says which column is missing', () => {
    expect(() => csvToPoints('id,x_coord,lat\n1,2,3')).toThrow(/no longitude column; expected one named lon, lng/);
    expect(() => csvToPoints('')).toThrow(/empty/);
  });
});
