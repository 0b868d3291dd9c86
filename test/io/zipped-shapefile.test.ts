import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zippedShapefileToGeoJson } from '../../src/io/zipped-shapefile.ts';

/** Fixtures made by GDAL (see test/fixtures/shapefile/README.md) against the GeoJSON they came from. */
const fixture = (name: string) => readFileSync(new URL(`../fixtures/shapefile/${name}`, import.meta.url));
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
    expect(thrown(() => zippedShapefileToGeoJson(storedZip({ 'readme.txt': 'hello' }), 'facilities'))).toMatchObject({
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
    const bomb = storedZip({ 'layer.shp': Buffer.alloc(8 * 2 ** 20), 'layer.dbf': 'x' }, { deflate: true, claimUnpacked: 100 });
    expect(thrown(() => zippedShapefileToGeoJson(bomb, 'facilities', { maxUnzippedBytes: 2 ** 20 }))).toMatchObject({
      code: 'INVALID_SHAPEFILE',
      message: 'facilities: it unzips to more than the 1 MB a layer may be (more than its directory says)',
    });
  });
});

/** What `fn` throws (the test fails if it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected it to throw');
}

/** A zip (CRC left 0: the checks under test come before any file is read, and nothing checks it). */
function storedZip(files: Record<string, string | Buffer>, opts: { deflate?: boolean; claimUnpacked?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const raw = Buffer.from(text);
    const data = opts.deflate ? deflateRawSync(raw) : raw;
    const unpacked = opts.claimUnpacked ?? raw.length;
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(unpacked, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(opts.deflate ? 8 : 0, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(unpacked, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
