import type { Geometry, Position } from 'geojson';
import { zipSync } from 'fflate';
import { type ExportField, type ExportLayer, type ExportRecord, boundsOf, csvField, layerFields, positionsOf } from './export-layers.ts';

/**
 * Layers as a zipped ESRI shapefile set, as QGIS, ArcGIS and ogr2ogr read it:
 *  - one shapefile per layer and geometry type (a shapefile holds one shape type: points,
 *    multipoints, lines or polygons), named `<layer>` or `<layer>_<type>` when a layer mixes types;
 *    a record without a geometry goes with its layer's first type as a null shape (a layer with no
 *    geometry at all is a lone .dbf, a table);
 *  - .shp, .shx, .dbf, .prj (WGS84: coordinates are lon/lat) and .cpg (UTF-8) for each;
 *  - field names cut to the .dbf's 10 characters, unique, and a `<name>_fields.csv` table giving
 *    each short name's full property name, type, width — and how many values were cut to the .dbf's
 *    254 bytes (whole UTF-8 characters kept).
 *
 * Written here rather than with shp-write: its .dbf writer stores one byte per UTF-16 code unit,
 * which mangles every Chinese name, and it neither shortens field names uniquely nor writes a .cpg.
 * Layout: ESRI Shapefile Technical Description (1998), dBASE III table files.
 */
export function zippedShapefile(layers: readonly ExportLayer[], name: string): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const table: string[] = ['layer,field,property,type,width,decimals,values_cut'];
  for (const layer of layers) {
    // Columns over the whole layer: its parts (points, polygons) have the same fields, types and widths.
    const { columns, cells } = dbfCells(layer.records, layerFields(layer));
    const cellsOf = new Map(layer.records.map((r, i) => [r, cells[i]]));
    for (const part of splitByShape(layer)) {
      files[`${part.name}.dbf`] = writeDbf(part.records.map((r) => cellsOf.get(r)!), columns);
      files[`${part.name}.cpg`] = UTF8.encode('UTF-8');
      if (part.shapeType !== undefined) {
        const { shp, shx } = writeShp(part.records, part.shapeType);
        files[`${part.name}.shp`] = shp;
        files[`${part.name}.shx`] = shx;
        files[`${part.name}.prj`] = UTF8.encode(WGS84_PRJ);
      }
      for (const column of columns) {
        table.push([part.name, column.short, column.name, column.kind, column.width, column.decimals, column.cut].map(csvField).join(','));
      }
    }
  }
  files[`${name}_fields.csv`] = UTF8.encode(`\uFEFF${table.join('\r\n')}\r\n`);
  // Fixed times: the same layers always give the same bytes (and ETags).
  return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}

/** WGS84 in the ESRI WKT dialect that .prj files use (what ArcGIS and GDAL write for EPSG:4326). */
const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const UTF8 = new TextEncoder();

/** Shape types (the format's numbers); a null shape is 0. */
const Shape = { Point: 1, PolyLine: 3, Polygon: 5, MultiPoint: 8 } as const;
type Shape = (typeof Shape)[keyof typeof Shape];

const SHAPE_OF: Record<Geometry['type'], Shape | undefined> = {
  Point: Shape.Point,
  MultiPoint: Shape.MultiPoint,
  LineString: Shape.PolyLine,
  MultiLineString: Shape.PolyLine,
  Polygon: Shape.Polygon,
  MultiPolygon: Shape.Polygon,
  GeometryCollection: undefined,
};

const SHAPE_SUFFIX: Record<number, string> = { [Shape.Point]: 'points', [Shape.MultiPoint]: 'multipoints', [Shape.PolyLine]: 'lines', [Shape.Polygon]: 'polygons' };

interface ShapePart {
  name: string;
  /** Undefined: a table without geometry (a lone .dbf). */
  shapeType?: Shape;
  records: ExportRecord[];
}

/** A layer's records by shape type, in the order the types first appear; null geometries with the first. */
function splitByShape(layer: ExportLayer): ShapePart[] {
  const byShape = new Map<Shape, ExportRecord[]>();
  const nulls: ExportRecord[] = [];
  for (const record of layer.records) {
    const shape = record.geometry ? SHAPE_OF[record.geometry.type] : undefined;
    if (shape === undefined) {
      nulls.push(record);
      continue;
    }
    let list = byShape.get(shape);
    if (!list) byShape.set(shape, (list = []));
    list.push(record);
  }
  if (byShape.size === 0) return [{ name: layer.name, records: nulls }];
  const parts = [...byShape].map(([shapeType, records]) => ({ name: byShape.size === 1 ? layer.name : `${layer.name}_${SHAPE_SUFFIX[shapeType]}`, shapeType, records }));
  parts[0].records.push(...nulls);
  return parts;
}

// --- .shp and .shx -------------------------------------------------------------------------------

function writeShp(records: readonly ExportRecord[], shapeType: Shape): { shp: Uint8Array; shx: Uint8Array } {
  const contents = records.map((r) => shapeContent(r.geometry, shapeType));
  const shpLength = 100 + contents.reduce((sum, c) => sum + 8 + c.byteLength, 0);
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(100 + 8 * records.length);
  const bounds = boundsOf(records.flatMap((r) => (r.geometry && SHAPE_OF[r.geometry.type] === shapeType ? positionsOf(r.geometry) : [])));
  writeHeader(new DataView(shp.buffer), shpLength, shapeType, bounds);
  writeHeader(new DataView(shx.buffer), shx.byteLength, shapeType, bounds);
  const shpView = new DataView(shp.buffer);
  const shxView = new DataView(shx.buffer);
  let offset = 100;
  contents.forEach((content, i) => {
    shxView.setInt32(100 + i * 8, offset / 2);
    shxView.setInt32(100 + i * 8 + 4, content.byteLength / 2);
    shpView.setInt32(offset, i + 1); // record numbers start at 1
    shpView.setInt32(offset + 4, content.byteLength / 2);
    shp.set(content, offset + 8);
    offset += 8 + content.byteLength;
  });
  return { shp, shx };
}

function writeHeader(view: DataView, byteLength: number, shapeType: Shape, [minX, minY, maxX, maxY]: number[]): void {
  view.setInt32(0, 9994);
  view.setInt32(24, byteLength / 2); // in 16-bit words
  view.setInt32(28, 1000, true);
  view.setInt32(32, shapeType, true);
  view.setFloat64(36, minX, true);
  view.setFloat64(44, minY, true);
  view.setFloat64(52, maxX, true);
  view.setFloat64(60, maxY, true);
}

/** One record's content (shape type, then its shape), little-endian as the format has it. */
function shapeContent(geometry: Geometry | null, shapeType: Shape): Uint8Array {
  if (!geometry || SHAPE_OF[geometry.type] !== shapeType) return nullShape();
  if (geometry.type === 'Point') {
    const view = new DataView(new ArrayBuffer(20));
    view.setInt32(0, Shape.Point, true);
    view.setFloat64(4, geometry.coordinates[0], true);
    view.setFloat64(12, geometry.coordinates[1], true);
    return new Uint8Array(view.buffer);
  }
  if (geometry.type === 'MultiPoint') {
    const points = geometry.coordinates;
    const view = new DataView(new ArrayBuffer(40 + 16 * points.length));
    view.setInt32(0, Shape.MultiPoint, true);
    writeBox(view, 4, points);
    view.setInt32(36, points.length, true);
    points.forEach(([x, y], i) => {
      view.setFloat64(40 + i * 16, x, true);
      view.setFloat64(48 + i * 16, y, true);
    });
    return new Uint8Array(view.buffer);
  }
  const parts: Position[][] =
    geometry.type === 'LineString' ? [geometry.coordinates]
    : geometry.type === 'MultiLineString' ? geometry.coordinates
    : geometry.type === 'Polygon' ? shapefileRings(geometry.coordinates)
    : geometry.type === 'MultiPolygon' ? geometry.coordinates.flatMap(shapefileRings)
    : [];
  if (parts.length === 0) return nullShape();
  const pointCount = parts.reduce((sum, p) => sum + p.length, 0);
  const view = new DataView(new ArrayBuffer(44 + 4 * parts.length + 16 * pointCount));
  view.setInt32(0, shapeType, true);
  writeBox(view, 4, parts.flat());
  view.setInt32(36, parts.length, true);
  view.setInt32(40, pointCount, true);
  let first = 0;
  let at = 44 + 4 * parts.length;
  parts.forEach((part, i) => {
    view.setInt32(44 + i * 4, first, true);
    first += part.length;
    for (const [x, y] of part) {
      view.setFloat64(at, x, true);
      view.setFloat64(at + 8, y, true);
      at += 16;
    }
  });
  return new Uint8Array(view.buffer);
}

function nullShape(): Uint8Array {
  return new Uint8Array(4); // shape type 0
}

function writeBox(view: DataView, offset: number, positions: Position[]): void {
  const [minX, minY, maxX, maxY] = boundsOf(positions);
  view.setFloat64(offset, minX, true);
  view.setFloat64(offset + 8, minY, true);
  view.setFloat64(offset + 16, maxX, true);
  view.setFloat64(offset + 24, maxY, true);
}

/**
 * A polygon's rings as a shapefile wants them: the outer ring clockwise, holes counter-clockwise —
 * the opposite of GeoJSON's (RFC 7946) — whatever the input's winding.
 */
function shapefileRings(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    const wantClockwise = i === 0;
    return clockwise === wantClockwise ? ring : [...ring].reverse();
  });
}

/** Twice the signed area (shoelace): positive for counter-clockwise rings. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return -sum;
}

// --- .dbf ----------------------------------------------------------------------------------------

interface DbfColumn {
  name: string;
  short: string;
  /** What the property holds (booleans are written as 1/0 numbers: GDAL reads a .dbf logical as text). */
  kind: ExportField['type'];
  type: 'C' | 'N';
  width: number;
  decimals: number;
  /** Values longer than the .dbf's 254 bytes, cut. */
  cut: number;
}

type Cell = Uint8Array | null;

const MAX_TEXT_BYTES = 254;
/** GDAL reads N fields up to 20 digits as numbers (wider ones as reals); 7 decimals, as the coordinates. */
const MAX_NUMBER_WIDTH = 20;
const MAX_DECIMALS = 7;

/** Every record's values as .dbf text (null for NULL), and the columns sized to the widest. */
function dbfCells(records: readonly ExportRecord[], fields: readonly ExportField[]): { columns: DbfColumn[]; cells: Cell[][] } {
  const short = shortFieldNames(fields.map((f) => f.name));
  const cells: Cell[][] = records.map(() => []);
  const columns: DbfColumn[] = fields.map((field, f) => {
    const column: DbfColumn = { name: field.name, short: short.get(field.name)!, kind: field.type, type: field.type === 'text' ? 'C' : 'N', width: 1, decimals: 0, cut: 0 };
    if (field.type === 'real') column.decimals = Math.min(MAX_DECIMALS, Math.max(0, ...records.map((r) => decimalsOf(r.properties[field.name]))));
    records.forEach((r, i) => {
      const value = r.properties[field.name];
      let cell: Cell = null;
      if (value !== null && value !== undefined) {
        if (field.type === 'boolean') cell = UTF8.encode(value ? '1' : '0');
        else if (column.type === 'N') cell = UTF8.encode((value as number).toFixed(column.decimals));
        else {
          cell = UTF8.encode(String(value));
          if (cell.byteLength > MAX_TEXT_BYTES) {
            cell = cutUtf8(cell, MAX_TEXT_BYTES);
            column.cut++;
          }
        }
      }
      cells[i][f] = cell;
      if (cell) column.width = Math.max(column.width, cell.byteLength);
    });
    if (column.type === 'N') column.width = Math.min(column.width, MAX_NUMBER_WIDTH);
    return column;
  });
  return { columns, cells };
}

function writeDbf(rows: readonly Cell[][], columns: readonly DbfColumn[]): Uint8Array {
  const headerLength = 32 + 32 * columns.length + 1;
  const recordLength = 1 + columns.reduce((sum, c) => sum + c.width, 0);
  const bytes = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, 0x03); // dBASE III, no memo
  view.setUint8(1, 120); // last update 2020-01-01: fixed, so the same layers give the same bytes
  view.setUint8(2, 1);
  view.setUint8(3, 1);
  view.setUint32(4, rows.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  columns.forEach((column, f) => {
    const at = 32 + f * 32;
    bytes.set(UTF8.encode(column.short), at); // ASCII, at most 10 bytes, NUL-padded
    bytes[at + 11] = column.type.charCodeAt(0);
    bytes[at + 16] = column.width;
    bytes[at + 17] = column.decimals;
  });
  bytes[headerLength - 1] = 0x0d;
  let at = headerLength;
  for (const row of rows) {
    bytes[at++] = 0x20; // not deleted
    columns.forEach((column, f) => {
      // NULL is blanks, which GDAL reads as NULL; numbers are right-aligned, text left-aligned.
      bytes.fill(0x20, at, at + column.width);
      const cell = row[f];
      if (cell) bytes.set(cell.subarray(0, column.width), column.type === 'N' ? at + column.width - Math.min(cell.byteLength, column.width) : at);
      at += column.width;
    });
  }
  bytes[at] = 0x1a; // end of file
  return bytes;
}

function decimalsOf(value: unknown): number {
  if (typeof value !== 'number' || Number.isInteger(value)) return 0;
  const text = String(value);
  if (text.includes('e')) return MAX_DECIMALS;
  return text.length - text.indexOf('.') - 1;
}

/** The longest prefix of whole UTF-8 characters that fits in `max` bytes. */
function cutUtf8(bytes: Uint8Array, max: number): Uint8Array {
  let end = max;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // not inside a character
  return bytes.subarray(0, end);
}

/**
 * Field names a .dbf can hold (ASCII letters, digits and `_`, at most 10, unique ignoring case), in
 * a readable short form: a property `<prefix>:<name>` (per-standard columns such as
 * `guangzhou-2020-urban-basic:met_share`) becomes `s1_met_sh`, its prefix numbered in order of
 * appearance; longer names lose letters from their longest words first; clashes get a number.
 */
function shortFieldNames(names: readonly string[]): Map<string, string> {
  const prefixes = new Map<string, string>();
  const taken = new Set<string>();
  const result = new Map<string, string>();
  for (const name of names) {
    const colon = name.lastIndexOf(':');
    let head = '';
    let rest = name;
    if (colon > 0) {
      const prefix = name.slice(0, colon);
      if (!prefixes.has(prefix)) prefixes.set(prefix, `s${prefixes.size + 1}`);
      head = `${prefixes.get(prefix)}_`;
      rest = name.slice(colon + 1);
    }
    let short = head + squeeze(rest, 10 - head.length);
    for (let n = 1; taken.has(short.toLowerCase()); n++) short = `${short.slice(0, 10 - String(n).length)}${n}`;
    taken.add(short.toLowerCase());
    result.set(name, short);
  }
  return result;
}

/** `name` in ASCII word characters, shortened to `max` by taking letters off its longest words. */
function squeeze(name: string, max: number): string {
  const words = name.replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0) return 'field'.slice(0, max);
  const shorten = (sep: string, shortest: number) => {
    while (words.join(sep).length > max) {
      let longest = 0;
      words.forEach((w, i) => {
        if (w.length > words[longest].length) longest = i;
      });
      if (words[longest].length <= shortest) break;
      words[longest] = words[longest].slice(0, -1);
    }
    return words.join(sep);
  };
  let short = shorten('_', 3);
  if (short.length > max) short = shorten('', 1).slice(0, max);
  return /^[0-9]/.test(short) ? `f${short}`.slice(0, max) : short;
}
