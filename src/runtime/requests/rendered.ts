/**
 * Answer formats a request may ask for (`Accept`, or `?format=`), and an answer that is already
 * rendered with its content type (GeoJSON, CSV, a zipped shapefile, a GeoPackage); plain objects are
 * sent as JSON. `csv-communities` is the coverage table's other sheet: one row per community and
 * standard (`?format=csv&sheet=communities`) beside the per-item rows of `csv`.
 */
export type AnswerFormat = 'json' | 'geojson' | 'csv' | 'csv-communities' | 'shp' | 'gpkg';

export class Rendered {
  constructor(
    readonly contentType: string,
    readonly body: string | Uint8Array,
    /** The download's name (`Content-Disposition`), when the answer is a file to keep. */
    readonly filename?: string,
  ) {}
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  'csv-communities': 'text/csv; charset=utf-8',
  shp: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
} as const satisfies Record<AnswerFormat, string>;

export const FILE_EXTENSIONS = {
  json: 'json',
  geojson: 'geojson',
  csv: 'csv',
  'csv-communities': 'csv',
  shp: 'shp.zip',
  gpkg: 'gpkg',
} as const satisfies Record<AnswerFormat, string>;

/**
 * A download's name from what the answer assumed, e.g.
 * `lifecircle-coverage_guangzhou-2020-urban-basic_walk_15min_2025-03-01.csv` (parts that do not
 * apply are left out), dated in UTC.
 */
export function downloadName(what: string, parts: readonly (string | number | undefined)[], format: AnswerFormat, date: Date = new Date()): string {
  const named = parts.filter((p) => p !== undefined && p !== '').map((p) => String(p).replace(/[^A-Za-z0-9.+-]+/g, '-'));
  const sheet = format === 'csv-communities' ? ['communities'] : [];
  return [`lifecircle-${what}`, ...named, ...sheet, date.toISOString().slice(0, 10)].join('_') + `.${FILE_EXTENSIONS[format]}`;
}
