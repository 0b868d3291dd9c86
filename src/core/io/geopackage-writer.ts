import type { Geometry, Position } from 'geojson';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { type ExportField, type ExportLayer, boundsOf, layerFields, positionsOf } from './export-layers.ts';

/**
 * Layers as an OGC GeoPackage (1.3): an SQLite file with one table per layer, WGS84 (EPSG:4326), its
 * full property names, and any mix of geometry types and NULL geometries in one table; a layer with
 * no geometry is an `attributes` table (a coverage answer's per-item rows, its assumptions).
 *
 * SQLite through sql.js (SQLite compiled to WebAssembly, shipped in the npm package: nothing to
 * build, any platform), the GeoPackage tables by the standard (OGC 12-128r18): geopackage.js
 * (@ngageoint/geopackage) would pull in an older Turf and proj4 and a canvas for tiles to write the
 * same few tables. Geometries are GeoPackage binary: a header with the envelope, then WKB.
 */
export async function geoPackage(layers: readonly ExportLayer[]): Promise<Uint8Array> {
  const SQL = await sqlite();
  const db = new SQL.Database();
  try {
    db.run(`PRAGMA application_id = ${GPKG_APPLICATION_ID}; PRAGMA user_version = ${GPKG_VERSION};`);
    db.run(CORE_TABLES);
    for (const layer of layers) writeLayer(db, layer);
    return db.export();
  } finally {
    db.close();
  }
}

let loading: Promise<SqlJsStatic> | undefined;

/** sql.js compiles its WebAssembly once per thread, on first use (a few tens of milliseconds). */
function sqlite(): Promise<SqlJsStatic> {
  loading ??= initSqlJs();
  return loading;
}

/** 'GPKG' as a 32-bit integer, and 1.3.0. */
const GPKG_APPLICATION_ID = 0x47504b47;
const GPKG_VERSION = 10300;
const WGS84 = 4326;

const CORE_TABLES = `
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
`;

const SQL_TYPE: Record<ExportField['type'], string> = { integer: 'INTEGER', real: 'REAL', text: 'TEXT', boolean: 'BOOLEAN' };

function writeLayer(db: InstanceType<SqlJsStatic['Database']>, layer: ExportLayer): void {
  const fields = layerFields(layer).filter((f) => f.name.toLowerCase() !== 'fid' && f.name.toLowerCase() !== 'geom');
  const geometries = layer.records.map((r) => r.geometry).filter((g): g is Geometry => g !== null);
  const spatial = geometries.length > 0;
  const table = quote(layer.name);
  const columns = [
    '"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL',
    ...(spatial ? ['"geom" GEOMETRY'] : []),
    ...fields.map((f) => `${quote(f.name)} ${SQL_TYPE[f.type]}`),
  ];
  db.run(`CREATE TABLE ${table} (${columns.join(', ')})`);
  if (spatial) {
    const [minX, minY, maxX, maxY] = boundsOf(geometries.flatMap(positionsOf));
    db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [layer.name, 'features', layer.name, minX, minY, maxX, maxY, WGS84]);
    const types = new Set(geometries.map((g) => g.type.toUpperCase()));
    db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [layer.name, 'geom', types.size === 1 ? [...types][0] : 'GEOMETRY', WGS84]);
  } else {
    db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (?, ?, ?)', [layer.name, 'attributes', layer.name]);
  }
  const names = [...(spatial ? ['"geom"'] : []), ...fields.map((f) => quote(f.name))];
  const insert = db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
  db.run('BEGIN');
  try {
    for (const record of layer.records) {
      const values = fields.map((f) => {
        const value = record.properties[f.name];
        if (value === undefined || value === null) return null;
        if (typeof value === 'boolean') return value ? 1 : 0;
        if (f.type === 'text') return String(value);
        return value as number;
      });
      insert.run([...(spatial ? [record.geometry ? gpkgGeometry(record.geometry) : null] : []), ...values]);
    }
    db.run('COMMIT');
  } finally {
    insert.free();
  }
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * GeoPackage binary: magic `GP`, version 0, flags (little-endian, an xy envelope except for points),
 * the SRS id, the envelope, then the geometry as little-endian WKB.
 */
function gpkgGeometry(geometry: Geometry): Uint8Array {
  const wkb = new WkbWriter();
  wkb.geometry(geometry);
  const body = wkb.bytes();
  const withEnvelope = geometry.type !== 'Point';
  const header = new DataView(new ArrayBuffer(8 + (withEnvelope ? 32 : 0)));
  header.setUint8(0, 0x47); // G
  header.setUint8(1, 0x50); // P
  header.setUint8(2, 0);
  header.setUint8(3, withEnvelope ? 0b011 : 0b001);
  header.setInt32(4, WGS84, true);
  if (withEnvelope) {
    const [minX, minY, maxX, maxY] = boundsOf(positionsOf(geometry));
    header.setFloat64(8, minX, true);
    header.setFloat64(16, maxX, true);
    header.setFloat64(24, minY, true);
    header.setFloat64(32, maxY, true);
  }
  const out = new Uint8Array(header.byteLength + body.byteLength);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(body, header.byteLength);
  return out;
}

const WKB_TYPE: Record<Geometry['type'], number> = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6, GeometryCollection: 7 };

/** Well-known binary (ISO 19125), little-endian, 2D. */
class WkbWriter {
  private view = new DataView(new ArrayBuffer(256));
  private at = 0;

  geometry(g: Geometry): void {
    this.header(WKB_TYPE[g.type]);
    switch (g.type) {
      case 'Point':
        this.position(g.coordinates);
        return;
      case 'LineString':
        this.positions(g.coordinates);
        return;
      case 'Polygon':
        this.rings(g.coordinates);
        return;
      case 'MultiPoint':
        this.uint32(g.coordinates.length);
        for (const p of g.coordinates) this.geometry({ type: 'Point', coordinates: p });
        return;
      case 'MultiLineString':
        this.uint32(g.coordinates.length);
        for (const l of g.coordinates) this.geometry({ type: 'LineString', coordinates: l });
        return;
      case 'MultiPolygon':
        this.uint32(g.coordinates.length);
        for (const p of g.coordinates) this.geometry({ type: 'Polygon', coordinates: p });
        return;
      case 'GeometryCollection':
        this.uint32(g.geometries.length);
        for (const part of g.geometries) this.geometry(part);
    }
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.view.buffer, 0, this.at);
  }

  private header(type: number): void {
    this.reserve(5);
    this.view.setUint8(this.at, 1);
    this.view.setUint32(this.at + 1, type, true);
    this.at += 5;
  }

  private rings(rings: Position[][]): void {
    this.uint32(rings.length);
    for (const ring of rings) this.positions(ring);
  }

  private positions(positions: Position[]): void {
    this.uint32(positions.length);
    for (const p of positions) this.position(p);
  }

  private position(p: Position): void {
    this.reserve(16);
    this.view.setFloat64(this.at, p[0], true);
    this.view.setFloat64(this.at + 8, p[1], true);
    this.at += 16;
  }

  private uint32(n: number): void {
    this.reserve(4);
    this.view.setUint32(this.at, n, true);
    this.at += 4;
  }

  private reserve(bytes: number): void {
    if (this.at + bytes <= this.view.byteLength) return;
    const grown = new Uint8Array(Math.max(this.view.byteLength * 2, this.at + bytes));
    grown.set(new Uint8Array(this.view.buffer, 0, this.at));
    this.view = new DataView(grown.buffer);
  }
}
