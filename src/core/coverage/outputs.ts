import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Community } from '../communities/read-communities.ts';
import { type ExportLayer, type ExportValue, STYLE_KEYS, csvField, roundGeometry } from '../io/export-layers.ts';
import type { CoverageReport } from './coverage.ts';

/**
 * The coverage report as a map, as spreadsheets and as GIS layers — every community in each, also
 * those that could not be assessed (with why), and the assumptions every verdict rests on:
 *  - GeoJSON: each community with its status as properties and simplestyle colours (red → yellow →
 *    green by the share of items met), so any GeoJSON viewer shows the map; a community the request
 *    could not read is a feature with a `null` geometry and its `error`. The collection carries
 *    `assumptions`, `summary` and `errors` as foreign members (RFC 7946 §6.1).
 *  - CSV `items`: one row per community × standard × item (a refused community: one row with its
 *    error); CSV `communities`: one row per community × standard (share met, pass, missing items).
 *    Both carry the assumptions as ordinary columns (standard_id, mode, minutes, met_share, origin) —
 *    no comment lines, which Excel shows as data and QGIS cannot skip — UTF-8 with a byte-order mark
 *    so Excel opens Chinese text correctly.
 *  - layers (zipped shapefile, GeoPackage): `communities`, `items`, `community_standards` and
 *    `assumptions`, the same rows as above.
 * Coordinates are rounded to 7 decimals (≈ 1 cm) everywhere.
 */

/** What every verdict of an answer assumed, per standard. */
export interface CoverageAssumptions {
  /** Each standard's travel; `minutes` null when not known (a run's custom standard no longer in the catalogue). */
  standards: { id: string; mode: string; minutes: number | null; speedKmh?: number }[];
  /** How communities were measured: `homes`, or the one-point rule. */
  origin: string;
  /** The share of residents that makes an item met. */
  metShare: number;
}

/** A community the request could not read (a bad geometry, a bad property): reported, never dropped. */
export interface NotAssessed {
  index: number;
  id?: string;
  message: string;
}

/** What an export adds to the report: the refused communities and the assumptions. */
export interface CoverageExtras {
  notAssessed?: readonly NotAssessed[];
  assumptions?: CoverageAssumptions;
  /** More foreign members for the GeoJSON (e.g. the request's `inputs` and `errors`). */
  members?: Record<string, unknown>;
}

type CommunityResult = CoverageReport['communities'][number];
type StandardResult = CommunityResult['standards'][number];
type ItemResult = StandardResult['items'][number];

export function coverageGeoJson(report: CoverageReport, communities: readonly Community[], extras: CoverageExtras = {}): FeatureCollection {
  const byId = new Map(communities.map((c) => [c.id, c]));
  const features = report.communities.map((r) => coverageFeature(r, byId.get(r.id)!.geometry));
  for (const refused of extras.notAssessed ?? []) features.push(notAssessedFeature(refused));
  return { type: 'FeatureCollection', features, ...geoJsonMembers(report, extras) };
}

/** The foreign members of the map: assumptions, summary, facilities and whatever the caller adds. */
export function geoJsonMembers(report: Partial<Pick<CoverageReport, 'summary' | 'facilities'>>, extras: CoverageExtras): Record<string, unknown> {
  return {
    ...(extras.assumptions ? { assumptions: extras.assumptions } : {}),
    ...(report.summary ? { summary: report.summary } : {}),
    ...(report.facilities ? { facilities: report.facilities } : {}),
    ...extras.members,
  };
}

/** One community of the map: its report's status as properties, coloured, on its geometry. */
export function coverageFeature(r: CommunityResult, geometry: Geometry): Feature {
  const properties: Record<string, unknown> = communityProperties(r);
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
  return { type: 'Feature', id: r.id, properties, geometry: roundGeometry(geometry) };
}

/** A community the request could not read: no geometry to show, its error, grey. */
function notAssessedFeature(n: NotAssessed): Feature {
  return {
    type: 'Feature',
    ...(n.id !== undefined ? { id: n.id } : {}),
    properties: { ...(n.id !== undefined ? { id: n.id } : {}), index: n.index, status: 'not_assessed', error: n.message },
    geometry: null as unknown as Geometry,
  };
}

/** A community's report as flat properties: per standard `<standard>:<field>` columns. */
function communityProperties(r: CommunityResult): Record<string, ExportValue> {
  const properties: Record<string, ExportValue> = {
    id: r.id,
    ...(r.name !== undefined ? { name: r.name } : {}),
    type: r.type,
    ...(r.district !== undefined ? { district: r.district } : {}),
    ...(r.subdistrict !== undefined ? { subdistrict: r.subdistrict } : {}),
    ...(r.population !== undefined ? { population: r.population } : {}),
    ...(r.error ? { error: r.error } : {}),
    home_rule: r.homes.rule,
    homes: r.homes.count,
  };
  for (const s of r.standards) {
    properties[`${s.standardId}:pass`] = s.pass;
    properties[`${s.standardId}:share`] = s.share;
    properties[`${s.standardId}:met`] = `${s.met}/${s.total}`;
    properties[`${s.standardId}:missing_zh`] = s.missing.map((m) => m.zh).join('；');
    properties[`${s.standardId}:missing_en`] = s.missing.map((m) => m.en).join('; ');
    properties[`${s.standardId}:pass_places`] = s.passPlaces;
    properties[`${s.standardId}:data_gaps_zh`] = s.dataGaps.map((m) => m.zh).join('；');
    properties[`${s.standardId}:met_share`] = s.metShare;
  }
  return properties;
}

// --- the per-item table (`sheet=items`, the default) ----------------------------------------------

const CSV_COLUMNS = [
  'community_id', 'community_name', 'community_type', 'district', 'subdistrict', 'standard_id', 'mode', 'minutes',
  'group', 'item_id', 'item_zh', 'item_en', 'kind', 'status', 'nearest_facility_id', 'nearest_facility_name',
  'nearest_category', 'nearest_minutes', 'nearest_meters', 'reachable_count',
  'residents_share', 'homes', 'median_minutes', 'worst_minutes', 'met_share', 'home_rule', 'origin', 'error',
] as const;

/** The table's first line, and the byte-order mark before it (so Excel opens Chinese text correctly). */
export const CSV_HEADER = CSV_COLUMNS.join(',');
export const CSV_BOM = '\uFEFF';

export function coverageCsv(report: CoverageReport, extras: CoverageExtras = {}): string {
  return CSV_BOM + [...coverageCsvLines(report, extras)].join('\r\n') + '\r\n';
}

/**
 * One community's rows of the table (one per standard × item), without line ends. The same columns as
 * itemRecord, written straight into the line: a city's table is ~10⁶ rows, and a record object per row
 * (with its spread) made the nightly spend a minute in the garbage collector. A row is a dozen strings
 * joined, not one per cell: the cells shared by a standard's rows and an item's constant cells are
 * built once and flattened, since joining the rows into chunks walks every piece of every row.
 */
export function coverageCsvRows(r: CommunityResult, origin?: string): string[] {
  if (r.standards.length === 0) return itemRecords(r, origin).map((record) => csvLine(CSV_COLUMNS, record));
  const head = `${csvField(r.id)},${csvField(r.name)},${csvField(r.type)},${csvField(r.district)},${csvField(r.subdistrict)}`;
  const tail = `${csvField(r.homes.rule)},${csvField(origin)},${csvField(r.error)}`;
  const rows: string[] = [];
  for (const s of r.standards) {
    const before = flattened(`${head},${csvField(s.standardId)},${csvField(s.mode)},${csvField(s.minutes)},`);
    const after = flattened(`,${csvField(s.metShare)},${tail}`);
    const cells = itemCellsOf(s);
    s.items.forEach((item, k) => {
      const n = item.nearest;
      const nearest = n ? `${csvField(n.facilityId)},${csvField(n.name)},${csvField(n.category)},${numberCell(n.minutes)},${numberCell(n.meters)}` : ',,,,';
      const row =
        before + cells(item, k) + ',' + csvField(item.status) + ',' + nearest + ',' + numberCell(item.reachableCount) + ',' +
        numberCell(item.residentsShare) + ',' + numberCell(item.homes) + ',' + numberCell(item.medianMinutes) + ',' + numberCell(item.worstMinutes) + after;
      // Flat while its pieces are fresh: a chunk of a thousand rows then holds a thousand strings, not tens of thousands of pieces.
      rows.push(flattened(row));
    });
  }
  return rows;
}

/**
 * `group,item_id,item_zh,item_en,kind` of each item of a standard, by its position: the same in every
 * community's rows, built once per standard.
 */
function itemCellsOf(s: StandardResult): (item: ItemResult, k: number) => string {
  let known = itemCellsByStandard.get(s.standardId);
  if (!known) {
    if (itemCellsByStandard.size >= ITEM_CELLS_STANDARDS) itemCellsByStandard.clear();
    itemCellsByStandard.set(s.standardId, (known = []));
  }
  const cache = known;
  return (item, k) => {
    let entry = cache[k];
    // Checked, not trusted: a request's custom standard may reuse an id with other items or texts.
    if (!entry || entry.itemId !== item.itemId || entry.group !== item.group || entry.zh !== item.zh || entry.en !== item.en || entry.kind !== item.kind) {
      const cells = flattened(`${csvField(item.group)},${csvField(item.itemId)},${csvField(item.zh)},${csvField(item.en)},${csvField(item.kind)}`);
      cache[k] = entry = { itemId: item.itemId, group: item.group, zh: item.zh, en: item.en, kind: item.kind, cells };
    }
    return entry.cells;
  };
}

const itemCellsByStandard = new Map<string, { itemId: string; group: string; zh: string; en: string; kind: string; cells: string }[]>();
/** The built-in standards are a handful; custom ones come and go with requests. */
const ITEM_CELLS_STANDARDS = 100;

/**
 * A numeric cell (csvField's text), through a cache: a city's table writes a few million minutes and
 * shares, rounded to 2 and 4 decimals, so a few thousand distinct values, and looking one up costs
 * half of formatting it again.
 */
function numberCell(value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = numberText.get(value);
  if (text === undefined) {
    text = String(value);
    if (numberText.size >= NUMBER_TEXT_MAX) numberText.clear();
    numberText.set(value, text);
  }
  return text;
}

const numberText = new Map<number, string>();
const NUMBER_TEXT_MAX = 50_000;

/**
 * The string as one flat piece: V8 keeps a concatenation as a tree of its parts until it is read,
 * and a part shared by a thousand rows would otherwise be walked again in each of them.
 */
function flattened(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** The row of a community the request could not read. */
function notAssessedCsvRow(n: NotAssessed, columns: readonly string[] = CSV_COLUMNS): string {
  return csvLine(columns, notAssessedRecord(n));
}

/**
 * The same table a line at a time (header first, no line ends, no byte-order mark), for writers that
 * stream it to a file: a city's table is ~150 MB, too much to hold as one string beside its report.
 */
export function* coverageCsvLines(report: CoverageReport, extras: CoverageExtras = {}): Generator<string> {
  yield CSV_HEADER;
  for (const r of report.communities) yield* coverageCsvRows(r, extras.assumptions?.origin);
  for (const n of extras.notAssessed ?? []) yield notAssessedCsvRow(n);
}

function itemRecords(r: CommunityResult, origin?: string): Record<string, ExportValue>[] {
  const records: Record<string, ExportValue>[] = [];
  for (const s of r.standards) for (const item of s.items) records.push(itemRecord(r, s, item, origin));
  // Assessed against no standard (none of its type was asked for): still a row, saying so.
  if (r.standards.length === 0) records.push({ ...communityColumns(r), status: r.error ? 'not_assessed' : 'no_standard', home_rule: r.homes.rule, origin, error: r.error ?? 'no requested standard applies to this community type' });
  return records;
}

function communityColumns(r: CommunityResult): Record<string, ExportValue> {
  return { community_id: r.id, community_name: r.name, community_type: r.type, district: r.district, subdistrict: r.subdistrict };
}

function itemRecord(r: CommunityResult, s: StandardResult, item: ItemResult, origin?: string): Record<string, ExportValue> {
  const n = item.nearest;
  return {
    ...communityColumns(r),
    standard_id: s.standardId, mode: s.mode, minutes: s.minutes,
    group: item.group, item_id: item.itemId, item_zh: item.zh, item_en: item.en, kind: item.kind, status: item.status,
    nearest_facility_id: n?.facilityId, nearest_facility_name: n?.name, nearest_category: n?.category, nearest_minutes: n?.minutes, nearest_meters: n?.meters,
    reachable_count: item.reachableCount,
    residents_share: item.residentsShare, homes: item.homes, median_minutes: item.medianMinutes, worst_minutes: item.worstMinutes,
    met_share: s.metShare, home_rule: r.homes.rule, origin, error: r.error,
  };
}

function notAssessedRecord(n: NotAssessed): Record<string, ExportValue> {
  return { community_id: n.id, status: 'not_assessed', error: n.message.startsWith('feature ') ? n.message : `feature ${n.index}: ${n.message}` };
}

// --- the per-community table (`sheet=communities`) -------------------------------------------------

const COMMUNITY_COLUMNS = [
  'community_id', 'community_name', 'community_type', 'district', 'subdistrict', 'population', 'standard_id', 'level',
  'mode', 'minutes', 'met_share', 'origin', 'status', 'items_met', 'items_total', 'share', 'pass', 'pass_places',
  'missing_zh', 'missing_en', 'data_gaps_zh', 'home_rule', 'homes', 'error',
] as const;

export const COMMUNITY_CSV_HEADER = COMMUNITY_COLUMNS.join(',');

export function coverageCommunitiesCsv(report: CoverageReport, extras: CoverageExtras = {}): string {
  return CSV_BOM + [...coverageCommunitiesCsvLines(report, extras)].join('\r\n') + '\r\n';
}

function* coverageCommunitiesCsvLines(report: CoverageReport, extras: CoverageExtras = {}): Generator<string> {
  yield COMMUNITY_CSV_HEADER;
  for (const r of report.communities) yield* communityCsvRows(r, extras.assumptions?.origin);
  for (const n of extras.notAssessed ?? []) yield notAssessedCsvRow(n, COMMUNITY_COLUMNS);
}

/** One community's rows of the per-community sheet (one per standard). */
export function communityCsvRows(r: CommunityResult, origin?: string): string[] {
  return standardRecords(r, origin).map((record) => csvLine(COMMUNITY_COLUMNS, record));
}

function standardRecords(r: CommunityResult, origin?: string): Record<string, ExportValue>[] {
  const base = { ...communityColumns(r), population: r.population, home_rule: r.homes.rule, homes: r.homes.count, origin, error: r.error };
  if (r.standards.length === 0) return [{ ...base, status: r.error ? 'not_assessed' : 'no_standard' }];
  return r.standards.map((s) => ({
    ...base,
    standard_id: s.standardId, level: s.level, mode: s.mode, minutes: s.minutes, met_share: s.metShare,
    status: s.pass ? 'pass' : 'fail', items_met: s.met, items_total: s.total, share: s.share, pass: s.pass, pass_places: s.passPlaces,
    missing_zh: s.missing.map((m) => m.zh).join('；'), missing_en: s.missing.map((m) => m.en).join('; '), data_gaps_zh: s.dataGaps.map((m) => m.zh).join('；'),
  }));
}

// --- GIS layers ---------------------------------------------------------------------------------

/**
 * The report as GIS layers (shapefile, GeoPackage): `communities` (geometry and the per-standard
 * columns; refused ones without geometry), `items` and `community_standards` (the two CSV sheets,
 * as tables) and `assumptions` (one row per standard).
 */
export function coverageLayers(reports: Iterable<{ report: CommunityResult; geometry: Geometry | null }>, extras: CoverageExtras = {}): ExportLayer[] {
  const communities: ExportLayer = { name: 'communities', records: [] };
  const items: ExportLayer = { name: 'items', records: [] };
  const standards: ExportLayer = { name: 'community_standards', records: [] };
  const origin = extras.assumptions?.origin;
  for (const { report, geometry } of reports) {
    const properties = geometry ? coverageFeature(report, geometry).properties! : communityProperties(report);
    communities.records.push({ geometry: geometry && roundGeometry(geometry), properties: withoutStyle(properties) });
    for (const record of itemRecords(report, origin)) items.records.push({ geometry: null, properties: record });
    for (const record of standardRecords(report, origin)) standards.records.push({ geometry: null, properties: record });
  }
  for (const n of extras.notAssessed ?? []) {
    communities.records.push({ geometry: null, properties: { id: n.id, index: n.index, status: 'not_assessed', error: n.message } });
    items.records.push({ geometry: null, properties: notAssessedRecord(n) });
    standards.records.push({ geometry: null, properties: notAssessedRecord(n) });
  }
  const layers = [communities, items, standards];
  if (extras.assumptions) layers.push(assumptionsLayer(extras.assumptions));
  return layers;
}

function assumptionsLayer(a: CoverageAssumptions): ExportLayer {
  return {
    name: 'assumptions',
    records: a.standards.map((s) => ({
      geometry: null,
      properties: { standard_id: s.id, mode: s.mode, minutes: s.minutes, speed_kmh: s.speedKmh, origin: a.origin, met_share: a.metShare, crs: 'EPSG:4326' },
    })),
  };
}

function withoutStyle(properties: Record<string, unknown>): Record<string, ExportValue> {
  const out: Record<string, ExportValue> = {};
  for (const [key, value] of Object.entries(properties)) if (!STYLE_KEYS.has(key)) out[key] = value as ExportValue;
  return out;
}

// --- helpers ------------------------------------------------------------------------------------

function csvLine(columns: readonly string[], record: Record<string, ExportValue>): string {
  return columns.map((c) => csvField(record[c])).join(',');
}


/** Red (nothing met) → yellow (half) → green (everything met). */
function shareColour(share: number): string {
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
