import { describe, expect, it } from 'vitest';
import { csvToPoints, parseCsv } from '../../src/core/io/csv-points.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { checkPointSet, parsePointSet } from '../../src/runtime/datasets/point-sets.ts';

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

describe('CSV point uploads: encoding and coordinate system', () => {
  it('reads a CSV in GBK without a BOM (Excel in a Chinese locale) as it reads UTF-8', () => {
    // "id,名称,经度,纬度,category\nf1,社区卫生站,113.26,23.13,clinic\n" encoded by iconv -t gbk, not by this code.
    const gbk = Buffer.from('69642cc3fbb3c62cbeadb6c82cceb3b6c82c63617465676f72790a66312cc9e7c7f8cec0c9fad5be2c3131332e32362c32332e31332c636c696e69630a', 'hex');
    const utf8 = Buffer.from('id,名称,经度,纬度,category\nf1,社区卫生站,113.26,23.13,clinic\n', 'utf8');
    const fromGbk = parsePointSet(gbk, 'csv', 'facilities');
    expect(fromGbk).toEqual(parsePointSet(utf8, 'csv', 'facilities'));
    expect((fromGbk as { features: { properties: Record<string, unknown> }[] }).features[0].properties).toEqual({ id: 'f1', 名称: '社区卫生站', category: 'clinic' });
  });

  it('converts projected columns with the upload\'s crs, stores its canonical id, and refuses them without one', () => {
    // Tianhe, Guangzhou in EPSG:4547 (PROJ's cs2cs: 113.3245, 23.1064 → 430799.3094, 2556480.9124).
    const csv = Buffer.from('id,x,y,category\nf1,430799.3094,2556480.9124,clinic\n');
    const checked = checkPointSet('facilities', parsePointSet(csv, 'csv', 'facilities', 'urn:ogc:def:crs:EPSG::4547'), 'urn:ogc:def:crs:EPSG::4547');
    expect(checked.payload.crs).toBe('EPSG:4547');
    expect(checked.bbox?.[0]).toBeCloseTo(113.3245, 7);
    expect(checked.bbox?.[1]).toBeCloseTo(23.1064, 7);
    expect(() => checkPointSet('facilities', parsePointSet(csv, 'csv', 'facilities'))).toThrow(/^facilities: the coordinates look projected \(metres, e\.g\. \[430799\.3094, 2556480\.9124\] in feature 0 \(id "f1"\)\)/);
  });
});
