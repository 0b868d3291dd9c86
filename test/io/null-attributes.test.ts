import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { csvToPoints } from '../../src/core/io/csv-points.ts';
import { zippedShapefile } from '../../src/core/io/shapefile-writer.ts';
import { zippedShapefileToGeoJson } from '../../src/core/io/zipped-shapefile.ts';

/*
 * An attribute nobody filled in reads the same from a shapefile (.dbf blanks, or the asterisks GDAL
 * writes for a NULL number), a GeoJSON `null` and an empty CSV cell: absent — so a community without
 * a population is read, not refused, whatever file it came in (issue 14: 23 of 27 refused from a
 * shapefile, all accepted from GeoJSON, and the job then assessed all 27 anyway).
 */
const rows = [
  { id: 'a', name: '甲', type: 'urban', population: 1200, lon: 113.26, lat: 23.13 },
  { id: 'b', name: null, type: 'urban', population: null, lon: 113.27, lat: 23.13 },
  { id: 'c', name: '丙', type: null, population: null, lon: 113.28, lat: 23.13 },
];

const asGeoJson = () => ({
  type: 'FeatureCollection',
  features: rows.map(({ lon, lat, ...properties }) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } })),
});
const asCsv = () =>
  ['id,name,type,population,lon,lat', ...rows.map((r) => [r.id, r.name ?? '', r.type ?? '', r.population ?? '', r.lon, r.lat].join(','))].join('\n');
const asShapefile = () =>
  Buffer.from(zippedShapefile([{ name: 'communities', records: rows.map(({ lon, lat, ...properties }) => ({ geometry: { type: 'Point', coordinates: [lon, lat] }, properties })) }], 'communities'));

/** The same layer with each NULL number written as GDAL's shapelib writes it: asterisks across the field. */
function withAsteriskNulls(zip: Buffer): Buffer {
  const files = unzipSync(zip);
  const dbf = files['communities.dbf'];
  const view = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  let offset = 1;
  for (let f = 32; dbf[f] !== 0x0d; f += 32) {
    const name = new TextDecoder().decode(dbf.subarray(f, f + 11)).replace(/\0.*$/, '');
    const width = dbf[f + 16];
    if (name === 'population') {
      for (let r = 0; r < rows.length; r++) {
        const at = headerLength + r * recordLength + offset;
        if (dbf.subarray(at, at + width).every((b) => b === 0x20)) dbf.fill(0x2a, at, at + width);
      }
    }
    offset += width;
  }
  return Buffer.from(zipSync(files));
}

describe('NULL attributes', () => {
  const read = (collection: unknown) => readCommunities(collection);
  const summary = (r: ReturnType<typeof read>) => ({
    communities: r.communities.map((c) => ({ id: c.id, name: c.name, population: c.population, type: c.type })),
    errors: r.errors,
    warnings: r.warnings.map((w) => w.id),
  });

  it('read the same from GeoJSON, CSV and a zipped shapefile (blanks, or GDAL\'s asterisks): absent, not errors', () => {
    const fromGeoJson = summary(read(asGeoJson()));
    expect(fromGeoJson).toEqual({
      communities: [
        { id: 'a', name: '甲', population: 1200, type: 'urban' },
        { id: 'b', name: undefined, population: undefined, type: 'urban' },
        { id: 'c', name: '丙', population: undefined, type: 'urban' },
      ],
      errors: [],
      warnings: ['c'],
    });
    expect(summary(read(csvToPoints(asCsv(), 'communities')))).toEqual(fromGeoJson);
    expect(summary(read(zippedShapefileToGeoJson(asShapefile(), 'communities')))).toEqual(fromGeoJson);
    expect(summary(read(zippedShapefileToGeoJson(withAsteriskNulls(asShapefile()), 'communities')))).toEqual(fromGeoJson);
  });

  it('leave no key behind in the shapefile\'s properties', () => {
    const [, b] = zippedShapefileToGeoJson(asShapefile(), 'communities').features;
    expect(b.properties).toEqual({ id: 'b', type: 'urban' });
  });
});
