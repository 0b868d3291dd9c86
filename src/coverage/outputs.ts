import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Community } from '../communities/read-communities.ts';
import type { CoverageReport } from './coverage.ts';

/**
 * The coverage report as a map and as a spreadsheet. GeoJSON: each community with its status as
 * properties and simplestyle colours (red → yellow → green by the share of items met), so any GeoJSON
 * viewer shows the map. CSV: one row per community × standard × item, UTF-8 with a byte-order mark so
 * Excel opens Chinese text correctly.
 */
export function coverageGeoJson(report: CoverageReport, communities: readonly Community[]): FeatureCollection {
  const byId = new Map(communities.map((c) => [c.id, c]));
  return { type: 'FeatureCollection', features: report.communities.map((r) => coverageFeature(r, byId.get(r.id)!.geometry)) };
}

/** One community of the map: its report's status as properties, coloured, on its geometry. */
export function coverageFeature(r: CommunityResult, geometry: Geometry): Feature {
  const properties: Record<string, unknown> = {
    id: r.id,
    ...(r.name !== undefined ? { name: r.name } : {}),
    type: r.type,
    ...(r.district !== undefined ? { district: r.district } : {}),
    ...(r.subdistrict !== undefined ? { subdistrict: r.subdistrict } : {}),
    ...(r.population !== undefined ? { population: r.population } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
  for (const s of r.standards) {
    properties[`${s.standardId}:pass`] = s.pass;
    properties[`${s.standardId}:share`] = s.share;
    properties[`${s.standardId}:met`] = `${s.met}/${s.total}`;
    properties[`${s.standardId}:missing_zh`] = s.missing.map((m) => m.zh).join('；');
    properties[`${s.standardId}:missing_en`] = s.missing.map((m) => m.en).join('; ');
  }
  // Colour by the first (usually the basic) standard assessed for the community.
  const first = r.standards[0];
  const colour = first ? shareColour(first.share) : '#808080';
  const isPoint = geometry.type === 'Point' || geometry.type === 'MultiPoint';
  Object.assign(
    properties,
    isPoint
      ? { 'marker-color': colour, 'marker-size': 'small' }
      : { fill: colour, 'fill-opacity': 0.6, stroke: '#333333', 'stroke-width': 1 },
    first ? { title: `${r.name ?? r.id}: ${first.met}/${first.total} items (${Math.round(first.share * 100)}%)` } : {},
  );
  return { type: 'Feature', id: r.id, properties, geometry };
}

const CSV_COLUMNS = [
  'community_id', 'community_name', 'community_type', 'district', 'subdistrict', 'standard_id', 'mode', 'minutes',
  'group', 'item_id', 'item_zh', 'item_en', 'kind', 'status', 'nearest_facility_id', 'nearest_facility_name',
  'nearest_category', 'nearest_minutes', 'nearest_meters', 'reachable_count',
] as const;

export function coverageCsv(report: CoverageReport): string {
  const lines = [CSV_HEADER];
  for (const r of report.communities) lines.push(...coverageCsvRows(r));
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}

/** The table's first line, and the byte-order mark before it (so Excel opens Chinese text correctly). */
export const CSV_HEADER = CSV_COLUMNS.join(',');
export const CSV_BOM = '\uFEFF';

/** One community's rows of the table (one per standard × item), without line ends. */
export function coverageCsvRows(r: CommunityResult): string[] {
  const rows: string[] = [];
  for (const s of r.standards) for (const item of s.items) rows.push(csvRow(r, s, item));
  return rows;
}

/**
 * The same table a line at a time (header first, no line ends, no byte-order mark), for writers that
 * stream it to a file: a city's table is ~150 MB, too much to hold as one string beside its report.
 */
export function* coverageCsvLines(report: CoverageReport): Generator<string> {
  yield CSV_HEADER;
  for (const r of report.communities) for (const s of r.standards) for (const item of s.items) yield csvRow(r, s, item);
}

type CommunityResult = CoverageReport['communities'][number];
type StandardResult = CommunityResult['standards'][number];

function csvRow(r: CommunityResult, s: StandardResult, item: StandardResult['items'][number]): string {
  const n = item.nearest;
  return [
    r.id, r.name ?? '', r.type, r.district ?? '', r.subdistrict ?? '', s.standardId, s.mode, s.minutes,
    item.group, item.itemId, item.zh, item.en, item.kind, item.status, n?.facilityId ?? '', n?.name ?? '',
    n?.category ?? '', n?.minutes ?? '', n?.meters ?? '', item.reachableCount ?? '',
  ].map(csvField).join(',');
}

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Red (nothing met) → yellow (half) → green (everything met). */
export function shareColour(share: number): string {
  const stops = [
    [0, [215, 48, 39]],
    [0.5, [254, 224, 139]],
    [1, [26, 152, 80]],
  ] as const;
  const s = Math.min(1, Math.max(0, share));
  const i = s <= 0.5 ? 0 : 1;
  const [s0, c0] = stops[i];
  const [s1, c1] = stops[i + 1];
  const k = (s - s0) / (s1 - s0);
  return '#' + c0.map((v, j) => Math.round(v + (c1[j] - v) * k).toString(16).padStart(2, '0')).join('');
}
