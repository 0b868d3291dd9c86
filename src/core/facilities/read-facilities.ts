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
 *  - A polygon without `entrances` is reached at its edge, not its middle: points along each part's
 *    outline, at most 25 m apart (`outlinePoints`), become its entrances. A park is entered from
 *    whichever side is nearest; its centroid can lie 300 m inside. (The OSM reader gives
 *    `entrances` from the `entrance=*` nodes on the outline, when there are some.)
 *
 * Also read: `area_m2` (floor area, m² — declared, never computed from the outline, because a
 * footprint is not a floor area), `outdoor_area_m2` (declared outdoor ground; a polygon's own area
 * is kept apart as `polygonM2`, since a square's ground is its outline) and `opening_hours` (OSM
 * syntax, kept as text).
 *
 * Features that no mapping recognises are not errors: they are counted in `unmapped` by reason
 * (a bench is data we do not need, not bad data). Bad features are `errors`; nothing throws except
 * a non-FeatureCollection (`INVALID_GEOJSON`) or a `crs` problem (src/core/geo/collection-crs.ts).
 */
import { area } from '@turf/area';
import type { Geometry, Position } from 'geojson';
import { InputError } from '../errors.ts';
import { categorize } from './categorize.ts';
import { type LonLat, geometryProblem, outlinePoints, readEntrances, representativePoint } from './feature-geometry.ts';
import {
  type FeatureProblem,
  type InputFeature,
  isProblem,
  optionalNonNegative,
  optionalString,
  problem,
  readCollection,
  readEnvelope,
} from './feature-input.ts';

export interface Facility {
  index: number;
  id: string;
  name?: string;
  /** Category ids (src/core/facilities/categories.ts), at least one. */
  categories: string[];
  /** Where the categories came from. */
  via: 'category' | 'osm' | 'amap';
  /** WGS84 representative point. */
  lon: number;
  lat: number;
  /**
   * WGS84 points where the facility is reached: its entrances when given (or the points of a
   * MultiPoint), else, for a polygon, points along its outline. Absent: the representative point.
   */
  entrances?: LonLat[];
  /** What `entrances` are: given gates, or points sampled along a polygon's outline. */
  reachedAt?: 'entrances' | 'outline';
  /** Declared floor area in m² (`area_m2`). */
  areaM2?: number;
  /** Declared outdoor area in m² (`outdoor_area_m2`): a square's or a centre's yard (provision checks). */
  outdoorAreaM2?: number;
  /** The area of its polygon in m², for a Polygon or MultiPolygon: a square's or a park's ground (provision checks). */
  polygonM2?: number;
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
  /**
   * Coordinate system of the input when the collection has no `crs` member (src/core/geo/crs.ts):
   * `EPSG:4547`, `gcj02` (Amap, Tencent), `bd09` (Baidu)…; default WGS84.
   */
  crs?: unknown;
  /** How many unmapped features to list in `examples`; default 20. */
  maxExamples?: number;
}

export function readFacilities(input: unknown, opts: ReadFacilitiesOptions = {}): FacilitiesRead {
  const maxExamples = opts.maxExamples ?? 20;
  const { features } = readCollection(input, 'facilities', opts.crs);
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
    const result = readFacility(envelope);
    if ('message' in result) errors.push(result);
    else if ('reason' in result) {
      unmapped.count++;
      unmapped.byReason[result.reason] = (unmapped.byReason[result.reason] ?? 0) + 1;
      if (unmapped.examples.length < maxExamples) unmapped.examples.push({ index, id: envelope.id, reason: result.reason });
    } else facilities.push(result);
  });
  return { facilities, unmapped, errors };
}

function readFacility(feature: InputFeature): Facility | FeatureProblem | { reason: string } {
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
  const outdoorAreaM2 = optionalNonNegative(props, 'outdoor_area_m2');
  if (typeof outdoorAreaM2 === 'object') return problem(feature, outdoorAreaM2.problem);
  const openingHours = optionalString(props, 'opening_hours');
  if (typeof openingHours === 'object') return problem(feature, openingHours.problem);
  const name = optionalString(props, 'name') ?? optionalString(props, 'name:zh');
  if (typeof name === 'object') return problem(feature, name.problem);

  const geometry = feature.geometry as Geometry;
  const point = representativePoint(geometry);
  if (!point) return problem(feature, `${geometry.type} has no area: expected a polygon that encloses some ground`);
  const entrances = entrancesIn
    ? entrancesIn.map((p: Position): LonLat => [p[0], p[1]])
    : geometry.type === 'MultiPoint'
      ? geometry.coordinates.map((p): LonLat => [p[0], p[1]])
      : geometry.type === 'Polygon' || geometry.type === 'MultiPolygon'
        ? outlinePoints(geometry)
        : undefined;
  const reachedAt = entrancesIn || geometry.type === 'MultiPoint' ? 'entrances' : entrances ? 'outline' : undefined;

  return {
    index: feature.index,
    id: feature.id,
    ...(name !== undefined ? { name } : {}),
    categories: categorized.categories,
    via: categorized.via,
    lon: point[0],
    lat: point[1],
    ...(entrances ? { entrances, reachedAt } : {}),
    ...(areaM2 !== undefined ? { areaM2 } : {}),
    ...(outdoorAreaM2 !== undefined ? { outdoorAreaM2 } : {}),
    ...(geometry.type === 'Polygon' || geometry.type === 'MultiPolygon' ? { polygonM2: Math.round(area(geometry)) } : {}),
    ...(openingHours !== undefined ? { openingHours } : {}),
    properties: props,
  };
}
