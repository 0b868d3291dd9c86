import { parse } from 'csv-parse/sync';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { InputError } from '../errors.ts';
import { NO_TEXT_MAY, badCharacterIn } from './json-text.ts';

/**
 * A CSV table of points (facilities or communities exported from a spreadsheet or a POI service) as a
 * GeoJSON FeatureCollection: longitude and latitude columns by their usual names (lon/lng/longitude/x/经度,
 * lat/latitude/y/纬度), every other column a property. A row with unreadable coordinates keeps its place
 * with a null geometry and a `csv_error` naming the row, column and value, so the reader downstream
 * reports it by row (feature index) and goes on. A NUL (or lone surrogate) in any cell refuses the
 * whole table, naming the row and column: no text may hold one.
 */
const LON = ['lon', 'lng', 'long', 'longitude', 'x', '经度'];
const LAT = ['lat', 'latitude', 'y', '纬度'];
const NUMERIC = new Set(['population', 'households', 'area_m2', 'outdoor_area_m2']);

export function csvToPoints(text: string, what = 'csv'): FeatureCollection<Point | null> {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), what);
  if (rows.length === 0) throw new InputError('INVALID_PARAMETER', `${what}: the CSV is empty`, { where: what });
  if (badCharacterIn(text)) throw badCell(rows, what);
  const header = rows[0].map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const lonCol = lower.findIndex((h) => LON.includes(h));
  const latCol = lower.findIndex((h) => LAT.includes(h));
  if (lonCol < 0 || latCol < 0) {
    throw new InputError('INVALID_PARAMETER', `${what}: no ${lonCol < 0 ? 'longitude' : 'latitude'} column; expected one named ${(lonCol < 0 ? LON : LAT).join(', ')} (got ${header.join(', ')})`, { where: what });
  }
  const features: Feature<Point | null>[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row.length === 1 && row[0].trim() === '') continue; // blank line
    const properties: Record<string, unknown> = {};
    header.forEach((name, c) => {
      if (c === lonCol || c === latCol || name === '') return;
      const value = (row[c] ?? '').trim();
      if (value === '') return;
      if (NUMERIC.has(name.toLowerCase()) && Number.isFinite(Number(value))) properties[name] = Number(value);
      else if (name.toLowerCase() === 'services') properties[name] = value.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
      else properties[name] = value;
    });
    const lon = coordinate(row[lonCol]);
    const lat = coordinate(row[latCol]);
    if (lon !== undefined && lat !== undefined) {
      features.push({ type: 'Feature', properties, geometry: { type: 'Point', coordinates: [lon, lat] } });
      continue;
    }
    const [col, value] = lon === undefined ? [lonCol, row[lonCol]] : [latCol, row[latCol]];
    const shown = value === undefined || value.trim() === '' ? 'empty' : JSON.stringify(value.trim());
    const csvError = `CSV row ${r + 1}, column "${header[col]}": ${shown}, expected a number`;
    features.push({ type: 'Feature', properties: { ...properties, csv_row: r + 1, csv_error: csvError }, geometry: null });
  }
  return { type: 'FeatureCollection', features };
}

/** The first cell holding a NUL or a lone surrogate, named by row and column (the header is row 1). */
function badCell(rows: string[][], what: string): InputError {
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < rows[r].length; c++) {
      const problem = badCharacterIn(rows[r][c]);
      if (problem) {
        const column = r === 0 ? `column ${c + 1}` : `column ${JSON.stringify(rows[0][c]?.trim() ?? `#${c + 1}`)}`;
        return new InputError('INVALID_PARAMETER', `${what}: CSV row ${r + 1}, ${column}: holds ${problem}, ${NO_TEXT_MAY}`, { where: what });
      }
    }
  }
  return new InputError('INVALID_PARAMETER', `${what}: the CSV holds a NUL character or a lone UTF-16 surrogate, ${NO_TEXT_MAY}`, { where: what });
}

function coordinate(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The table's records, through csv-parse: RFC 4180 quoting (doubled quotes, line breaks in quoted
 * cells), lines ended by CRLF, LF or CR alike, and the delimiter — comma, semicolon or tab — that
 * the header uses most (Excel writes semicolons where the comma is the decimal mark). Lenient as
 * spreadsheets are: rows of any length, a quote inside an unquoted cell kept as it is. A quote
 * left open is an INVALID_PARAMETER naming `what` and csv-parse's line.
 */
export function parseCsv(text: string, what = 'csv'): string[][] {
  try {
    return parse(text, { delimiter: delimiterOf(text), record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    throw new InputError('INVALID_PARAMETER', `${what}: not readable as CSV (${(err as Error).message})`, { where: what });
  }
}

function delimiterOf(text: string): string {
  const end = text.search(/[\r\n]/);
  const header = end < 0 ? text : text.slice(0, end);
  const count = (d: string) => header.split(d).length - 1;
  return [',', ';', '\t'].sort((a, b) => count(b) - count(a))[0];
}
