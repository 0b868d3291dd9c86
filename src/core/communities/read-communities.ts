/**
 * Residential communities (社区 / 村) from a GeoJSON FeatureCollection, with the points their
 * residents set out from.
 *
 * Origins, in order:
 *  - `properties.entrances` ([[lon, lat], …], same crs as the geometry): the gates, whatever the
 *    geometry — a walk starts at a gate, not in the middle of a compound (`entrances`);
 *  - a MultiPoint: its points are the entrances (`entrances`);
 *  - a Point: the point (`point`);
 *  - a Polygon: one point strictly inside it; a MultiPolygon: one inside each part, because a
 *    village in several pieces has residents in each (`representative-point`).
 *
 * Properties: `type` `urban` | `rural` (or 城市/社区 | 农村/村); `population`, `households` (≥ 0);
 * `district`, `subdistrict`, `name` (text); `services`: ids of programmes the community declares
 * it runs (assessed by the standards' non-place items). A missing `type` is read as `urban` — most
 * assessed communities are — and noted in `warnings`, because it picks the 15- or 30-minute
 * standard; a wrong one is an error.
 */
import type { Geometry, MultiPoint, MultiPolygon, Point, Polygon } from 'geojson';
import type { CommunityHomes } from './homes.ts';
import { type LonLat, geometryProblem, interiorPoint, readEntrances } from '../facilities/feature-geometry.ts';
import {
  type FeatureProblem,
  type InputFeature,
  isProblem,
  optionalNonNegative,
  optionalString,
  problem,
  readCollection,
  readEnvelope,
} from '../facilities/feature-input.ts';

export type CommunityType = 'urban' | 'rural';
export type OriginRule = 'point' | 'entrances' | 'representative-point';

export interface Community {
  index: number;
  id: string;
  name?: string;
  type: CommunityType;
  population?: number;
  households?: number;
  district?: string;
  subdistrict?: string;
  services: string[];
  /** WGS84 points residents set out from; never empty. */
  origins: LonLat[];
  originRule: OriginRule;
  /** The geometry in WGS84. */
  geometry: Point | MultiPoint | Polygon | MultiPolygon;
  /** Where its residents live, once placed (src/core/communities/homes.ts); coverage measures from these. */
  homes?: CommunityHomes;
}

export interface CommunitiesRead {
  communities: Community[];
  /** Features left out. */
  errors: FeatureProblem[];
  /** Communities read with an assumption (a missing `type`). */
  warnings: FeatureProblem[];
}

export interface ReadCommunitiesOptions {
  /** The input's coordinate system when the collection has no `crs` member (src/core/geo/crs.ts); default WGS84. */
  crs?: unknown;
}

/** Throws `InputError` only for a non-FeatureCollection or a `crs` problem (src/core/geo/collection-crs.ts). */
export function readCommunities(input: unknown, opts: ReadCommunitiesOptions = {}): CommunitiesRead {
  const { features } = readCollection(input, 'communities', opts.crs);
  const read: CommunitiesRead = { communities: [], errors: [], warnings: [] };
  const seen = new Map<string, number>();
  features.forEach((raw, index) => {
    const envelope = readEnvelope(raw, index, seen);
    if (isProblem(envelope)) {
      read.errors.push(envelope);
      return;
    }
    const community = readCommunity(envelope, read.warnings);
    if ('message' in community) read.errors.push(community);
    else read.communities.push(community);
  });
  return read;
}

/** A community's `properties.type` as read: missing is urban (with a warning), an unknown word undefined. */
export function communityTypeOf(rawType: unknown): CommunityType | undefined {
  if (rawType === undefined || rawType === null || rawType === '') return 'urban';
  const text = typeof rawType === 'string' ? rawType.trim().toLowerCase() : undefined;
  if (text !== undefined && URBAN.has(text)) return 'urban';
  if (text !== undefined && RURAL.has(text)) return 'rural';
  return undefined;
}

const URBAN = new Set(['urban', '城市', '城市社区', '社区', '城镇社区']);
const RURAL = new Set(['rural', '农村', '农村社区', '村', '乡村', '行政村', '村庄']);
const COMMUNITY_GEOMETRIES = new Set(['Point', 'MultiPoint', 'Polygon', 'MultiPolygon']);

function readCommunity(feature: InputFeature, warnings: FeatureProblem[]): Community | FeatureProblem {
  const geometryIssue = geometryProblem(feature.geometry, feature.properties);
  if (geometryIssue) return problem(feature, geometryIssue);
  const type = (feature.geometry as Geometry).type;
  if (!COMMUNITY_GEOMETRIES.has(type)) {
    return problem(feature, `geometry type ${type}: expected Point, MultiPoint, Polygon or MultiPolygon`);
  }
  const props = feature.properties;

  const rawType = props.type;
  const communityType = communityTypeOf(rawType);
  if (communityType === undefined) return problem(feature, `properties.type: got ${JSON.stringify(rawType)}, expected "urban" or "rural"`);
  if (rawType === undefined || rawType === null || rawType === '') {
    warnings.push(problem(feature, 'properties.type is missing: assessed as "urban" (15-minute walk); set "urban" or "rural"'));
  }

  const fields: Record<string, unknown> = {};
  for (const key of ['population', 'households'] as const) {
    const value = optionalNonNegative(props, key);
    if (typeof value === 'object') return problem(feature, value.problem);
    if (value !== undefined) fields[key] = value;
  }
  for (const key of ['name', 'district', 'subdistrict'] as const) {
    const value = optionalString(props, key);
    if (typeof value === 'object') return problem(feature, value.problem);
    if (value !== undefined) fields[key] = value;
  }
  const services = readServices(props.services);
  if (typeof services === 'string') return problem(feature, services);

  const entrances = readEntrances(props.entrances);
  if (typeof entrances === 'string') return problem(feature, entrances);
  const geometry = feature.geometry as Community['geometry'];
  let origins: LonLat[];
  let originRule: OriginRule;
  if (entrances) {
    origins = entrances.map((p): LonLat => [p[0], p[1]]);
    originRule = 'entrances';
  } else if (geometry.type === 'Point') {
    origins = [[geometry.coordinates[0], geometry.coordinates[1]]];
    originRule = 'point';
  } else if (geometry.type === 'MultiPoint') {
    origins = geometry.coordinates.map((p) => [p[0], p[1]]);
    originRule = 'entrances';
  } else {
    const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    origins = [];
    for (const part of parts) {
      const inside = interiorPoint(part);
      if (inside) origins.push(inside);
    }
    if (origins.length === 0) return problem(feature, `${geometry.type} has no area: expected a polygon that encloses some ground`);
    originRule = 'representative-point';
  }

  return {
    index: feature.index,
    id: feature.id,
    ...(fields.name !== undefined ? { name: fields.name as string } : {}),
    type: communityType,
    ...(fields.population !== undefined ? { population: fields.population as number } : {}),
    ...(fields.households !== undefined ? { households: fields.households as number } : {}),
    ...(fields.district !== undefined ? { district: fields.district as string } : {}),
    ...(fields.subdistrict !== undefined ? { subdistrict: fields.subdistrict as string } : {}),
    services,
    origins,
    originRule,
    geometry,
  };
}

/** `services`: an array of non-empty strings; absent means none. */
function readServices(value: unknown): string[] | string {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && s.trim() !== '')) {
    return `properties.services: got ${JSON.stringify(value)}, expected an array of service ids (strings)`;
  }
  return [...new Set(value.map((s: string) => s.trim()))];
}
