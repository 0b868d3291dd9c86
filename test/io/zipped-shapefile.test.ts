import { describe, expect, it } from 'vitest';
import { checkPointSet, parsePointSet } from '../../src/runtime/datasets/point-sets.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { zippedShapefileToGeoJson } from '../../src/core/io/zipped-shapefile.ts';
import { alteredFacilities, shapefileFixture as fixture, unzipFiles, zipFiles } from '../helpers/shapefile-zip.ts';

/** Fixtures made by GDAL (see test/fixtures/shapefile/README.md) against the GeoJSON they came from. */
const source = (name: string) => JSON.parse(fixture(name).toString('utf8'));

describe('zipped shapefiles', () => {
  it('reprojects a CGCS2000 Gauss–Krüger layer to lon/lat and reads its UTF-8 attributes', () => {
    const read = zippedShapefileToGeoJson(fixture('facilities-cgcs2000-gk105.zip'), 'facilities');
    const want = source('facilities.source.geojson').features;
    expect(read.features.map((f) => f.properties)).toEqual(want.map((f: { properties: unknown }) => f.properties));
    read.features.forEach((f, i) => {
      const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
      // Through metres and back: within a millimetre or so.
      expect(lon).toBeCloseTo(want[i].geometry.coordinates[0], 7);
      expect(lat).toBeCloseTo(want[i].geometry.coordinates[1], 7);
    });
  });

  it('a layer without its .prj: refused, unless the upload\'s crs says what its metres are', () => {
    const files = unzipFiles(fixture('facilities-cgcs2000-gk105.zip'));
    const withoutPrj = zipFiles(Object.fromEntries(Object.entries(files).filter(([name]) => !name.endsWith('.prj'))));
    expect(thrown(() => zippedShapefileToGeoJson(withoutPrj, 'facilities'))).toMatchObject({ code: 'INVALID_SHAPEFILE', message: expect.stringMatching(/it has no \.prj to say what they are/) });
    const checked = checkPointSet('facilities', parsePointSet(withoutPrj, 'zip', 'facilities', 'EPSG:4544'), 'EPSG:4544');
    expect(checked.payload.crs).toBe('EPSG:4544');
    const want = source('facilities.source.geojson').features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates);
    const read = readFacilities(checked.payload.source, { crs: checked.payload.crs });
    read.facilities.forEach((f, i) => {
      expect(f.lon).toBeCloseTo(want[i][0], 7);
      expect(f.lat).toBeCloseTo(want[i][1], 7);
    });
    expect(read.facilities).toHaveLength(want.length);
  });

  it('reads a layer in a folder of the zip, with GBK attributes and polygons', () => {
    const read = zippedShapefileToGeoJson(fixture('communities-wgs84-gbk.zip'), 'communities');
    expect(read.features.map((f) => f.properties?.name)).toEqual(['财富又一城', '朗御', '锦绣东方', '九龙仓']);
    expect(read.features.every((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon')).toBe(true);
    expect(read.features[0].properties).toMatchObject({ id: 'way/195510641', type: 'urban', households: 300 });
  });

  it('says what is wrong with what is not one readable layer', () => {
    expect(thrown(() => zippedShapefileToGeoJson(Buffer.from('id,lon,lat\n'), 'facilities'))).toMatchObject({
      code: 'INVALID_SHAPEFILE',
      where: 'facilities',
      message: expect.stringMatching(/^facilities: not a zip file/),
    });
    // A zip, but of nothing a shapefile needs.
    const emptyZip = Buffer.from('504b0506000000000000000000000000000000000000', 'hex');
    expect(thrown(() => zippedShapefileToGeoJson(emptyZip, 'communities'))).toMatchObject({ code: 'INVALID_SHAPEFILE' });
    // Cut short (an interrupted upload): refused, where the unzipper would loop forever.
    const truncated = fixture('communities-wgs84-gbk.zip').subarray(0, 300);
    expect(thrown(() => zippedShapefileToGeoJson(truncated, 'communities'))).toMatchObject({ code: 'INVALID_SHAPEFILE', message: 'communities: the zip has no end-of-archive record: truncated?' });
    expect(thrown(() => zippedShapefileToGeoJson(zipFiles({ 'readme.txt': 'hello' }), 'facilities'))).toMatchObject({
      message: 'facilities: no .shp in the zip (it holds readme.txt); zip the .shp, .shx, .dbf, .prj and .cpg of one layer',
    });
  });

  it('refuses a zip that says it unzips to more than a layer may be, before inflating anything', () => {
    const bomb = Buffer.from(fixture('facilities-cgcs2000-gk105.zip'));
    const end = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const directory = bomb.readUInt32LE(end + 16);
    bomb.writeUInt32LE(0xfffffff0, directory + 24); // the first entry's unzipped size: 4 GB
    expect(thrown(() => zippedShapefileToGeoJson(bomb, 'facilities'))).toMatchObject({ code: 'INVALID_SHAPEFILE', message: expect.stringMatching(/unzips to 4096 MB, more than the 512 MB/) });
  });
});

describe('a zip bomb that lies about its sizes', () => {
  it('is stopped while inflating, at the ceiling', () => {
    // 8 MB of zeros deflate to a few kB; the directory says 100 bytes.
    const bomb = zipFiles({ 'layer.shp': Buffer.alloc(8 * 2 ** 20), 'layer.dbf': 'x' }, { deflate: true, claimUnpacked: 100 });
    expect(thrown(() => zippedShapefileToGeoJson(bomb, 'facilities', { maxUnzippedBytes: 2 ** 20 }))).toMatchObject({
      code: 'INVALID_SHAPEFILE',
      message: 'facilities: it unzips to more than the 1 MB a layer may be (more than its directory says)',
    });
  });
});

describe('a damaged entry', () => {
  it('is refused by its CRC-32, stored or deflated, where its size is right', () => {
    const files = unzipFiles(fixture('facilities-cgcs2000-gk105.zip'));
    for (const deflate of [false, true]) {
      const zip = zipFiles(files, { deflate });
      expect(() => zippedShapefileToGeoJson(zip, 'facilities')).not.toThrow();
      // One byte of the .dbf's first record changed, in the zip's bytes (stored) or before deflating (the
      // directory's CRC then being the original's): what a damaged copy or a bad edit would give.
      const dbf = files['facilities.dbf'];
      const damaged = deflate ? zipFiles({ ...files, 'facilities.dbf': flipped(dbf, dbf.readUInt16LE(8) + 1) }, { deflate }) : Buffer.from(zip);
      if (deflate) {
        // The damaged zip's directory takes the original's CRC of the .dbf.
        const original = centralCrcs(zip);
        const at = centralCrcOffsets(damaged);
        for (const [name, offset] of at) damaged.writeUInt32LE(original.get(name)!, offset);
      } else {
        const at = damaged.indexOf(dbf);
        damaged[at + dbf.readUInt16LE(8) + 1] ^= 0x20;
      }
      expect(thrown(() => zippedShapefileToGeoJson(damaged, 'facilities'))).toMatchObject({
        code: 'INVALID_SHAPEFILE',
        message: expect.stringMatching(/^facilities: the zip's entry facilities\.dbf fails its CRC-32 check \([0-9a-f]{8}, its directory says [0-9a-f]{8}\): damaged/),
      });
    }
  });
});

function flipped(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] ^= 0x20;
  return copy;
}

/** The central directory's CRC-32 field of each entry: its offset in the zip, by name. */
function centralCrcOffsets(zip: Buffer): Map<string, number> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const out = new Map<string, number>();
  for (let k = 0, p = zip.readUInt32LE(end + 16); k < zip.readUInt16LE(end + 10); k++) {
    const nameLength = zip.readUInt16LE(p + 28);
    out.set(zip.toString('utf8', p + 46, p + 46 + nameLength), p + 16);
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

function centralCrcs(zip: Buffer): Map<string, number> {
  return new Map([...centralCrcOffsets(zip)].map(([name, offset]) => [name, zip.readUInt32LE(offset)]));
}

/** What `fn` throws (the test fails if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}

/*
 * Headers that lie, made from the GDAL fixture one field at a time: shpjs would believe them (a .dbf
 * claiming 100,000,000 records had it build records from nothing until the heap died).
 */
describe('shapefile headers checked against their bytes', () => {
  const read = (zip: Buffer) => thrown(() => zippedShapefileToGeoJson(zip, 'facilities'));
  const FIELDS = 4; // the fixture's .dbf: id, name, category, type

  it('refuses a .dbf whose record count does not fit in the file (the 100,000,000-record repro)', () => {
    const zip = alteredFacilities('dbf', (dbf) => (dbf.writeUInt32LE(100_000_000, 4), dbf));
    expect(zip.length).toBeLessThan(2000);
    expect(read(zip)).toMatchObject({
      code: 'INVALID_SHAPEFILE',
      where: 'facilities',
      message: "facilities: facilities.dbf: its header's record count says 100000000 records of 250 bytes (25000000000 bytes), but the file has 751 after its header",
    });
  });

  it('refuses a .dbf with a UTF-8 byte-order mark before it (the BOM repro)', () => {
    const zip = alteredFacilities('dbf', (dbf) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), dbf]));
    expect(read(zip)).toMatchObject({ code: 'INVALID_SHAPEFILE', message: expect.stringMatching(/^facilities: facilities\.dbf starts with a UTF-8 byte-order mark \(EF BB BF\)/) });
  });

  it('refuses a .dbf whose header length, record length or field list disagree', () => {
    expect(read(alteredFacilities('dbf', (dbf) => (dbf.writeUInt16LE(60_000, 8), dbf)))).toMatchObject({ message: "facilities: facilities.dbf: its header's header length says 60000 bytes, the file has 912" });
    expect(read(alteredFacilities('dbf', (dbf) => (dbf.writeUInt16LE(32 * (FIELDS + 2) + 1, 8), dbf)))).toMatchObject({
      message: expect.stringMatching(/^facilities: facilities\.dbf: its header's header length says 193 bytes, but its field list \(\d+ fields of 32 bytes\)/),
    });
    expect(read(alteredFacilities('dbf', (dbf) => (dbf.writeUInt16LE(0, 10), dbf)))).toMatchObject({ message: "facilities: facilities.dbf: its header's record length says 0 bytes, but its 4 fields add up to 250 (with the deletion flag)" });
    expect(read(alteredFacilities('dbf', (dbf) => dbf.subarray(0, 20)))).toMatchObject({ message: 'facilities: facilities.dbf is 20 bytes, shorter than a .dbf header (33)' });
  });

  it('refuses a .shp whose header file length or a record length does not match its bytes', () => {
    expect(read(alteredFacilities('shp', (shp) => (shp.writeInt32BE(50_000_000, 24), shp)))).toMatchObject({
      code: 'INVALID_SHAPEFILE',
      message: "facilities: facilities.shp: its header's file length says 100000000 bytes, the file has 184: cut short",
    });
    // The first record's content length (big-endian 16-bit words at byte 104), negative then too long.
    expect(read(alteredFacilities('shp', (shp) => (shp.writeInt32BE(-4, 104), shp)))).toMatchObject({ message: 'facilities: facilities.shp: record 1 (at byte 100) says its content is -8 bytes, but 76 are left in the file' });
    expect(read(alteredFacilities('shp', (shp) => (shp.writeInt32BE(1000, 104), shp)))).toMatchObject({ message: 'facilities: facilities.shp: record 1 (at byte 100) says its content is 2000 bytes, but 76 are left in the file' });
    expect(read(alteredFacilities('shp', (shp) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), shp])))).toMatchObject({ message: expect.stringMatching(/facilities\.shp starts with a UTF-8 byte-order mark/) });
  });

  it('refuses a layer whose .shp and .dbf disagree on how many features there are', () => {
    const files = unzipFiles(fixture('facilities-cgcs2000-gk105.zip'));
    const dbf = Buffer.from(files['facilities.dbf']);
    dbf.writeUInt32LE(2, 4); // one record fewer: still fits in the file
    expect(read(zipFiles({ ...files, 'facilities.dbf': dbf }))).toMatchObject({ message: 'facilities: facilities.shp holds 3 shapes, facilities.dbf 2 records: expected one record per shape' });
  });

  it('reads a .shp with bytes past its declared length as the layer the header declares', () => {
    const zip = alteredFacilities('shp', (shp) => Buffer.concat([shp, Buffer.alloc(40, 0xff)]));
    expect(zippedShapefileToGeoJson(zip, 'facilities').features).toHaveLength(3);
  });
});
