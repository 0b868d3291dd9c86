/**
 * Facilities from a GeoJSON FeatureCollection: each feature becomes a categorised place with a
 * WGS84 point (and its entrances), ready to be placed on the network.
 *
 * Where a facility is:
 *  - Point: the point. MultiPoint: its points are the entrances, the first stands for it.
 *  - LineString / MultiLineString (a fitness trail, a market street): the middle of the (longest)
 *    line.
 *  - Polygon / MultiPolygon: a point strictly inside (the largest part); see `interiorPoint`.
 *  - Whatever the geometry, `properties.entrances` ([[lon, lat], …], same crs) are where people get
 *    in, and reachability is measured to them rather than to the representative point.
 *
 * Also read: `area_m2` (floor area, m² — declared, never computed from the outline, because a
 * footprint is not a floor area) and `opening_hours` (OSM syntax, kept as text).
 *
 * Features that no mapping recognises are not errors: they are counted in `unmapped` by reason
 * (a bench is data we do not need, not bad data). Bad features are `errors`; nothing throws except
 * a non-FeatureCollection (`INVALID_GEOJSON`) or an unknown `crs` (`INVALID_PARAMETER`).
 */
import type { Geometry, Position } from 'geojson';
import { InputError } from '../errors.ts';
import { categorize } from './categorize.ts';
import { type Crs, geometryToWgs84, parseCrs, toWgs84 } from './crs.ts';
import { type LonLat, geometryProblem, readEntrances, representativePoint } from './feature-geometry.ts';
import {
  type FeatureProblem,
  type InputFeature,
  collectionFeatures,
  isProblem,
  optionalNonNegative,
  optionalString,
  problem,
  readEnvelope,
} from './feature-input.ts';

export interface Facility {
  index: number;
  id: string;
  name?: string;
  /** Category ids (src/facilities/categories.ts), at least one. */
  categories: string[];
  /** Where the categories came from. */
  via: 'category' | 'osm' | 'amap';
  /** WGS84 representative point. */
  lon: number;
  lat: number;
  /** WGS84 entrances, when given (or the points of a MultiPoint). */
  entrances?: LonLat[];
  /** Declared floor area in m² (`area_m2`). */
  areaM2?: number;
  /** OSM `opening_hours` text, unparsed. */
  openingHours?: string;
  /** The feature's properties as given. */
  properties: Record<string, unknown>;
}

export interface UnmappedFacilities {
  count: number;
  /** The first few, for a person to look at. */
  examples: { index: number; id: string; reason: string }[];
  byReason: Record<string, number>;
}

export interface FacilitiesRead {
  facilities: Facility[];
  unmapped: UnmappedFacilities;
  errors: FeatureProblem[];
}

export interface ReadFacilitiesOptions {
  /** Coordinate system of the input: `wgs84` (default), `gcj02` (Amap, Tencent), `bd09` (Baidu). */
  crs?: string;
  /** How many unmapped features to list in `examples`; default 20. */
  maxExamples?: number;
}

export function readFacilities(input: unknown, opts: ReadFacilitiesOptions = {}): FacilitiesRead {
  const crs = parseCrs(opts.crs);
  const maxExamples = opts.maxExamples ?? 20;
  const features = collectionFeatures(input, 'facilities');
  const facilities: Facility[] = [];
  const errors: FeatureProblem[] = [];
  const unmapped: UnmappedFacilities = { count: 0, examples: [], byReason: {} };
  const seen = new Map<string, number>();

  features.forEach((raw, index) => {
    const envelope = readEnvelope(raw, index, seen);
    if (isProblem(envelope)) {
      errors.push(envelope);
      return;
    }
    const result = readFacility(envelope, crs);
    if ('message' in result) errors.push(result);
    else if ('reason' in result) {
      unmapped.count++;
      unmapped.byReason[result.reason] = (unmapped.byReason[result.reason] ?? 0) + 1;
      if (unmapped.examples.length < maxExamples) unmapped.examples.push({ index, id: envelope.id, reason: result.reason });
    } else facilities.push(result);
  });
  return { facilities, unmapped, errors };
}

function readFacility(feature: InputFeature, crs: Crs): Facility | FeatureProblem | { reason: string } {
  const geometryIssue = geometryProblem(feature.geometry, feature.properties);
  if (geometryIssue) return problem(feature, geometryIssue);

  let categorized;
  try {
    categorized = categorize(feature.properties);
  } catch (err) {
    if (err instanceof InputError) return problem(feature, err.message);
    throw err;
  }
  if ('unmapped' in categorized) return { reason: categorized.unmapped };

  const props = feature.properties;
  const entrancesIn = readEntrances(props.entrances);
  if (typeof entrancesIn === 'string') return problem(feature, entrancesIn);
  const areaM2 = optionalNonNegative(props, 'area_m2');
  if (typeof areaM2 === 'object') return problem(feature, areaM2.problem);
  const openingHours = optionalString(props, 'opening_hours');
  if (typeof openingHours === 'object') return problem(feature, openingHours.problem);
  const name = optionalString(props, 'name') ?? optionalString(props, 'name:zh');
  if (typeof name === 'object') return problem(feature, name.problem);

  const geometry = geometryToWgs84(feature.geometry as Geometry, crs);
  const point = representativePoint(geometry);
  if (!point) return problem(feature, `${geometry.type} has no area: expected a polygon that encloses some ground`);
  const entrances = entrancesIn
    ? entrancesIn.map((p: Position) => toWgs84(p, crs))
    : geometry.type === 'MultiPoint'
      ? geometry.coordinates.map((p): LonLat => [p[0], p[1]])
      : undefined;

  return {
    index: feature.index,
    id: feature.id,
    ...(name !== undefined ? { name } : {}),
    categories: categorized.categories,
    via: categorized.via,
    lon: point[0],
    lat: point[1],
    ...(entrances ? { entrances } : {}),
    ...(areaM2 !== undefined ? { areaM2 } : {}),
    ...(openingHours !== undefined ? { openingHours } : {}),
    properties: props,
  };
}
