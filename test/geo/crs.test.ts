import { distance } from '@turf/turf';
import gcoordModule from 'gcoord';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { featuresInWgs84 } from '../../src/core/geo/collection-crs.ts';
import { crsFromName, crsOfMember, geometryToWgs84, parseCrs, toWgs84 } from '../../src/core/geo/crs.ts';
import { epsgDefinition } from '../../src/core/geo/epsg.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
const metres = (a: number[], b: number[]) => distance(a, b, { units: 'meters' });

/**
 * Known pairs from gcoord's own fixture (hujiulong/gcoord, test/fixtures/china-cities.json): WGS84,
 * GCJ-02 and BD-09 of the same place, rounded to 7 decimals. gcoord's tests accept 4 decimals;
 * we hold it to 2 m.
 */
const KNOWN = [
  { city: '汕头 Shantou (Guangdong)', wgs84: [116.6775114, 23.3567569], gcj02: [116.6819735, 23.3540964], bd09: [116.6885014, 23.3598884] },
  { city: '资阳 Ziyang (Sichuan)', wgs84: [104.6252411, 30.1317508], gcj02: [104.6276449, 30.1289052], bd09: [104.6340814, 30.1351581] },
  { city: '梅州 Meizhou (Guangdong)', wgs84: [116.1174053, 24.2912377], gcj02: [116.1222426, 24.2886182], bd09: [116.1287823, 24.2944828] },
];

/**
 * Projected coordinates of known WGS84 points computed by a second implementation, PROJ 9.1.1 from
 * the EPSG database (GDAL 3.6's cs2cs), e.g. `echo 23.1064 113.3245 | cs2cs -f %.4f EPSG:4326 EPSG:4547`
 * (cs2cs prints Gauss–Krüger northing first, as EPSG orders those axes; here easting first, as GIS
 * files are written). Every proj string epsg.ts generates — all 187 codes — was also checked equal
 * to `gdalsrsinfo -o proj4 EPSG:<code>`, names included.
 */
const PROJECTED = [
  { place: 'Tianhe, Guangzhou: CGCS2000 3° GK CM 114E', code: 4547, wgs84: [113.3245, 23.1064], xy: [430799.3094, 2556480.9124] },
  { place: 'the same, 3° zone 38 (zone prefix)', code: 4526, wgs84: [113.3245, 23.1064], xy: [38430799.3094, 2556480.9124] },
  { place: 'the same in 3° zone 39 (CM 117E, 3.7° off its meridian)', code: 4527, wgs84: [113.3245, 23.1064], xy: [39123294.4016, 2561067.0117] },
  { place: 'the same, 6° zone 19 (prefix)', code: 4497, wgs84: [113.3245, 23.1064], xy: [19738171.9624, 2558217.5397] },
  { place: 'the same, 6° CM 111E', code: 4508, wgs84: [113.3245, 23.1064], xy: [738171.9624, 2558217.5397] },
  { place: 'the same, Web Mercator', code: 3857, wgs84: [113.3245, 23.1064], xy: [12615225.6344, 2644890.9992] },
  { place: 'the same, UTM 49N', code: 32649, wgs84: [113.3245, 23.1064], xy: [738076.6936, 2557194.2528] },
  { place: 'Chengdu, 3° CM 105E', code: 4544, wgs84: [104.0755, 30.6574], xy: [411390.3681, 3393355.9928] },
  { place: 'Chengdu, 3° zone 35', code: 4523, wgs84: [104.0755, 30.6574], xy: [35411390.3681, 3393355.9928] },
  { place: 'Chengdu, UTM 48N', code: 32648, wgs84: [104.0755, 30.6574], xy: [411425.812, 3391998.6505] },
  { place: 'Sydney, UTM 56S', code: 32756, wgs84: [151.2093, -33.8688], xy: [334368.6336, 6250948.3454] },
  { place: 'Harbin, 3° CM 126E', code: 4551, wgs84: [126.6, 45.75], xy: [546686.8354, 5068473.8117] },
  { place: 'Harbin, 6° zone 22', code: 4500, wgs84: [126.6, 45.75], xy: [22313253.9315, 5071101.1212] },
  { place: 'Urumqi, 3° zone 29', code: 4517, wgs84: [87.6, 43.8], xy: [29548285.1151, 4851775.3027] },
  { place: 'Urumqi, 6° zone 15', code: 4493, wgs84: [87.6, 43.8], xy: [15548285.1151, 4851775.3027] },
  { place: 'Guangzhou, CGCS2000 geographic', code: 4490, wgs84: [113.3245, 23.1064], xy: [113.3245, 23.1064] },
];

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('crsFromName', () => {
  it('defaults to WGS84 and takes the legacy names in any case', () => {
    expect(parseCrs(undefined).id).toBe('EPSG:4326');
    expect(parseCrs('wgs84').id).toBe('EPSG:4326');
    expect(parseCrs('gcj02').id).toBe('gcj02');
    expect(parseCrs('BD09').id).toBe('bd09');
    expect(parseCrs('cgcs2000').id).toBe('EPSG:4490');
  });

  it.each([
    ['EPSG:4547', 'EPSG:4547'],
    ['epsg:3857', 'EPSG:3857'],
    ['urn:ogc:def:crs:EPSG::4547', 'EPSG:4547'],
    ['urn:ogc:def:crs:EPSG:9.8.15:32650', 'EPSG:32650'],
    ['http://www.opengis.net/def/crs/EPSG/0/4490', 'EPSG:4490'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
    ['urn:ogc:def:crs:OGC::CRS84', 'EPSG:4326'],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'EPSG:4326'],
    ['EPSG:900913', 'EPSG:3857'],
    ['EPSG:102100', 'EPSG:3857'],
  ])('reads %s as %s', (name, id) => {
    expect(crsFromName(name, 'crs').id).toBe(id);
  });

  it('names the systems as the EPSG register does', () => {
    expect(crsFromName('EPSG:4547', 'crs').name).toBe('CGCS2000 / 3-degree Gauss-Kruger CM 114E');
    expect(crsFromName('EPSG:4526', 'crs').name).toBe('CGCS2000 / 3-degree Gauss-Kruger zone 38');
    expect(crsFromName('EPSG:4491', 'crs').name).toBe('CGCS2000 / Gauss-Kruger zone 13');
    expect(crsFromName('EPSG:32750', 'crs').name).toBe('WGS 84 / UTM zone 50S');
  });

  it('knows exactly the documented codes', () => {
    const known = (code: number) => epsgDefinition(code) !== undefined;
    for (const code of [4326, 4490, 3857, 4491, 4554, 32601, 32660, 32701, 32760]) expect(known(code), String(code)).toBe(true);
    for (const code of [4489, 4555, 32600, 32661, 32700, 32761, 2383, 4214, 3395]) expect(known(code), String(code)).toBe(false);
  });

  it.each([
    ['epsg3857', /^crs: got "epsg3857", expected a coordinate system such as "EPSG:4547", .* \(did you mean "EPSG:3857"\?\)$/],
    ['4547', /\(did you mean "EPSG:4547"\?\)$/],
    ['gcj-02', /\(did you mean "gcj02"\?\)$/],
    ['wgs-84', /\(did you mean "wgs84"\?\)$/],
    ['EPSG:2383', /^crs: got "EPSG:2383", a coordinate system this service does not convert; expected EPSG:4326 \(WGS 84\), EPSG:4490 \(CGCS2000\), .*UTM\), or one of wgs84, gcj02, bd09, cgcs2000: reproject the data first \(e\.g\. ogr2ogr -t_srs EPSG:4326\)$/],
    ['utm', /^crs: got "utm", expected a coordinate system such as "EPSG:4547", "urn:ogc:def:crs:EPSG::4547", "urn:ogc:def:crs:OGC:1\.3:CRS84" or one of wgs84, gcj02, bd09, cgcs2000$/],
    [5, /^crs: got 5, expected a coordinate system such as/],
    ['', /^crs: got "", expected a coordinate system such as/],
  ])('refuses %o, naming it and what is read', (value, message) => {
    const err = thrown(() => parseCrs(value));
    expect(err.code).toBe('INVALID_PARAMETER');
    expect(err.where).toBe('crs');
    expect(err.message).toMatch(message);
  });
});

describe('crsOfMember', () => {
  it('reads GDAL\'s named member, the 2008 EPSG form and a bare name', () => {
    expect(crsOfMember({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } }, 'communities')?.id).toBe('EPSG:4547');
    expect(crsOfMember({ type: 'EPSG', properties: { code: 3857 } }, 'communities')?.id).toBe('EPSG:3857');
    expect(crsOfMember('EPSG:4490', 'communities')?.id).toBe('EPSG:4490');
    expect(crsOfMember(undefined, 'communities')).toBeUndefined();
  });

  it('refuses an unknown or unreadable member as bad GeoJSON, naming where', () => {
    const unknown = thrown(() => crsOfMember({ type: 'name', properties: { name: 'EPSG:2383' } }, 'facilities'));
    expect([unknown.code, unknown.where]).toEqual(['INVALID_GEOJSON', 'facilities.crs']);
    expect(unknown.message).toMatch(/^facilities\.crs: got "EPSG:2383", a coordinate system this service does not convert/);
    const link = thrown(() => crsOfMember({ type: 'link', properties: { href: 'http://x/crs.prj' } }, 'facilities'));
    expect(link.message).toMatch(/^facilities\.crs: got \{"type":"link".*expected a named crs such as/);
  });
});

describe('projected systems to WGS84', () => {
  it.each(PROJECTED)('$place (EPSG:$code) lands within 1 mm of the point PROJ projected', ({ code, wgs84, xy }) => {
    const back = toWgs84(xy, `EPSG:${code}`);
    // 1e-8 degrees is about 1 mm: the references are given to 0.1 mm.
    expect(back[0]).toBeCloseTo(wgs84[0], 8);
    expect(back[1]).toBeCloseTo(wgs84[1], 8);
  });

  it('Web Mercator agrees with its closed form (spherical, R = 6378137 m) as well', () => {
    const R = 6_378_137;
    for (const [lon, lat] of [[113.3245, 23.1064], [-70.6693, -33.4489], [0, 0], [179.9, 84]]) {
      const x = (R * lon * Math.PI) / 180;
      const y = R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
      const back = toWgs84([x, y], 'EPSG:3857');
      expect(back[0]).toBeCloseTo(lon, 9);
      expect(back[1]).toBeCloseTo(lat, 9);
    }
  });
});

describe('toWgs84', () => {
  it.each(KNOWN)('$city: GCJ-02 and BD-09 land within 2 m of the known WGS84 point', ({ wgs84, gcj02, bd09 }) => {
    expect(metres(toWgs84(gcj02, 'gcj02'), wgs84)).toBeLessThan(2);
    expect(metres(toWgs84(bd09, 'bd09'), wgs84)).toBeLessThan(2);
    expect(toWgs84(wgs84, 'wgs84')).toEqual(wgs84);
  });

  it('takes a Guangzhou point forth and back within 1 m, after an offset of a few hundred metres', () => {
    const tianhe = [113.3245, 23.1372]; // WGS84, Tianhe, Guangzhou
    const asGcj = gcoord.transform(tianhe as [number, number], gcoord.WGS84, gcoord.GCJ02);
    const asBd = gcoord.transform(tianhe as [number, number], gcoord.WGS84, gcoord.BD09);
    // GCJ-02 moves this point 625 m east-south-east; BD-09 adds Baidu's own offset (1.27 km in all).
    expect(metres(asGcj, tianhe)).toBeGreaterThan(500);
    expect(metres(asGcj, tianhe)).toBeLessThan(750);
    expect(metres(asBd, tianhe)).toBeGreaterThan(1000);
    expect(metres(toWgs84(asGcj, 'gcj02'), tianhe)).toBeLessThan(1);
    expect(metres(toWgs84(asBd, 'bd09'), tianhe)).toBeLessThan(1);
  });

  it('leaves points outside China where they are (the offsets are not defined there)', () => {
    expect(toWgs84([7.43, 43.73], 'gcj02')).toEqual([7.43, 43.73]);
  });

  it('drops a third ordinate and returns a new array', () => {
    const input = [116.6775114, 23.3567569, 12];
    const out = toWgs84(input, 'wgs84');
    expect(out).toEqual([116.6775114, 23.3567569]);
    expect(out).not.toBe(input);
  });
});

describe('geometryToWgs84', () => {
  it('converts every ring position and leaves the input untouched', () => {
    const polygon: Polygon = {
      type: 'Polygon',
      coordinates: [
        [[113.32, 23.13], [113.33, 23.13], [113.33, 23.14], [113.32, 23.13]],
        [[113.325, 23.132], [113.327, 23.132], [113.327, 23.134], [113.325, 23.132]],
      ],
    };
    const before = JSON.stringify(polygon);
    const out = geometryToWgs84(polygon, 'gcj02');
    expect(JSON.stringify(polygon)).toBe(before);
    expect(out.coordinates.map((r) => r.length)).toEqual([4, 4]);
    out.coordinates.flat().forEach((p, i) => {
      const original = polygon.coordinates.flat()[i];
      expect(p).toEqual(toWgs84(original, 'gcj02'));
      expect(metres(p, original)).toBeGreaterThan(400);
    });
    // Closed rings stay closed.
    expect(out.coordinates[0][0]).toEqual(out.coordinates[0][3]);
  });

  it('handles points, lines and multi-geometries', () => {
    const p = geometryToWgs84({ type: 'Point', coordinates: [113.32, 23.13] }, 'bd09');
    expect(p.coordinates).toEqual(toWgs84([113.32, 23.13], 'bd09'));
    const m = geometryToWgs84({ type: 'MultiPolygon', coordinates: [[[[113.32, 23.13], [113.33, 23.13], [113.33, 23.14], [113.32, 23.13]]]] }, 'gcj02');
    expect(m.coordinates[0][0][1]).toEqual(toWgs84([113.33, 23.13], 'gcj02'));
  });
});

describe('featuresInWgs84: one rule for every collection', () => {
  const point = (coordinates: number[], id = 'a') => ({ type: 'Feature', properties: { id }, geometry: { type: 'Point', coordinates } });
  const GZ_4547 = [430799.3094, 2556480.9124];

  it('reads the collection\'s own member, else the request\'s crs, else WGS84', () => {
    const member = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } };
    const own = featuresInWgs84([point(GZ_4547)], member, 'origins');
    expect(own.crs.id).toBe('EPSG:4547');
    const [lon, lat] = (own.features[0] as { geometry: { coordinates: number[] } }).geometry.coordinates;
    expect(metres([lon, lat], [113.3245, 23.1064])).toBeLessThan(0.01);
    expect(featuresInWgs84([point(GZ_4547)], undefined, 'origins', 'EPSG:4547').crs.id).toBe('EPSG:4547');
    const plain = [point([113.3, 23.1])];
    const wgs = featuresInWgs84(plain, undefined, 'origins');
    expect(wgs.crs.id).toBe('EPSG:4326');
    expect(wgs.features).toBe(plain);
    // Agreeing names in different spellings are one system.
    expect(featuresInWgs84(plain, { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, 'origins', 'wgs84').crs.id).toBe('EPSG:4326');
  });

  it('refuses a member and a request crs that disagree, naming both', () => {
    const err = thrown(() => featuresInWgs84([point(GZ_4547)], { type: 'name', properties: { name: 'EPSG:4547' } }, 'communities', 'gcj02'));
    expect([err.code, err.where]).toEqual(['INVALID_PARAMETER', 'crs']);
    expect(err.message).toBe('crs: the request says gcj02 (GCJ-02 (Amap, Tencent)) but communities says EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E) in its crs member: remove one, or make them agree');
  });

  it('refuses a projected collection sent without a crs once, not feature by feature', () => {
    const err = thrown(() => featuresInWgs84([point(GZ_4547, 'x'), point([430900, 2556500], 'y')], undefined, 'communities'));
    expect([err.code, err.where]).toEqual(['INVALID_GEOJSON', 'communities']);
    expect(err.message).toBe('communities: the coordinates look projected (metres, e.g. [430799.3094, 2556480.9124] in feature 0 (id "x")), not longitude/latitude: say which system they are in with `crs` (e.g. "crs": "EPSG:4547") or a crs member in the collection');
    const said = thrown(() => featuresInWgs84([point(GZ_4547)], undefined, 'origins', 'wgs84'));
    expect(said.message).toMatch(/^origins: the coordinates look projected .*but the request's crs is EPSG:4326 \(WGS 84\), in degrees/);
  });

  it('leaves one odd feature among good ones to its own error', () => {
    const read = featuresInWgs84([point([113.3, 23.1]), point(GZ_4547, 'm')], undefined, 'communities');
    expect(read.features).toHaveLength(2);
  });

  it('refuses longitude/latitude sent with a projected crs', () => {
    const err = thrown(() => featuresInWgs84([point([113.3245, 23.1064])], { type: 'name', properties: { name: 'EPSG:3857' } }, 'targets'));
    expect(err.message).toBe('targets: the crs member of targets is EPSG:3857 (WGS 84 / Pseudo-Mercator), in metres, but the coordinates look like longitude/latitude (e.g. [113.3245, 23.1064] in feature 0 (id "a")): drop the crs, or send coordinates in EPSG:3857');
  });

  it('converts entrances with the geometry and leaves malformed positions for the readers to name', () => {
    const feature = { type: 'Feature', properties: { entrances: [GZ_4547, ['x', 1]] }, geometry: { type: 'Polygon', coordinates: [[GZ_4547, [430900, 2556480], [430900, 2556580], GZ_4547]] } };
    const [out] = featuresInWgs84([feature, { type: 'Feature', geometry: null }], undefined, 'facilities', 'EPSG:4547').features as (typeof feature)[];
    expect(metres(out.properties.entrances[0] as number[], [113.3245, 23.1064])).toBeLessThan(0.01);
    expect(out.properties.entrances[1]).toEqual(['x', 1]);
    expect(metres(out.geometry.coordinates[0][1], [113.3245, 23.1064])).toBeGreaterThan(95);
    expect(feature.properties.entrances[0]).toBe(GZ_4547);
  });
});
