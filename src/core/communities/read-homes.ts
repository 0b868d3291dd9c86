/**
 * Homes given by the caller (`homes` in a request, or a stored `homes` dataset): a GeoJSON
 * FeatureCollection of points (an address, an entrance of a block) or building polygons, each tied
 * to one community.
 *
 * - A Point is a home where it is; a Polygon or MultiPolygon is a building: one home at a point
 *   strictly inside it, its footprint area (and `building:levels`) kept to share out the community's
 *   population when the home has no figure of its own.
 * - Properties: `population` or `households` (≥ 0, optional), `community` (a community's id,
 *   optional), `building:levels` (≥ 1, optional), `id`.
 * - A home is tied to the community its `community` names, else to the first polygon community
 *   (in input order) that contains it.
 *
 * Nothing is dropped silently: a feature without geometry, of another geometry type, naming a
 * community that does not exist (with a did-you-mean) or lying outside every community is an error
 * with its index, id and reason, and the rest is read.
 */
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import Flatbush from 'flatbush';
import { geometryProblem, representativePoint } from '../facilities/feature-geometry.ts';
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
import { didYouMean } from '../standards/validate.ts';
import type { Community } from './read-communities.ts';

/** One given home, in WGS84. */
export interface GivenHome {
  /** The feature's index in the input collection, and its id (as errors name it). */
  index: number;
  id: string;
  lon: number;
  lat: number;
  population?: number;
  households?: number;
  /** A building's footprint, m². */
  areaM2?: number;
  /** A building's `building:levels`. */
  levels?: number;
}

/** A home as read before it is tied: with the community its properties name, if any. */
export interface HomeFeature extends GivenHome {
  community?: string;
  /** The id as the data gave it (undefined when the index stands in), for messages. */
  rawId?: string | number;
}

export interface HomeFeaturesRead {
  homes: HomeFeature[];
  errors: FeatureProblem[];
}

export interface HomesRead {
  /** Keyed by `Community.index` (the community's feature index in its own input). */
  byCommunity: Map<number, GivenHome[]>;
  errors: FeatureProblem[];
}

export interface ReadHomesOptions {
  /** The input's coordinate system when the collection has no `crs` member (src/core/geo/crs.ts); default WGS84. */
  crs?: unknown;
}

/** Reads and ties the homes. Throws `InputError` only for a non-FeatureCollection or a `crs` problem. */
export function readHomes(input: unknown, communities: readonly Community[], opts: ReadHomesOptions = {}): HomesRead {
  return tieHomes(readHomeFeatures(input, opts), communities);
}

/**
 * The homes each on its own, not yet tied to communities: what a stored `homes` dataset is checked
 * with, before any community set is known.
 */
export function readHomeFeatures(input: unknown, opts: ReadHomesOptions = {}): HomeFeaturesRead {
  const { features } = readCollection(input, 'homes', opts.crs);
  const read: HomeFeaturesRead = { homes: [], errors: [] };
  const seen = new Map<string, number>();
  features.forEach((raw, index) => {
    const envelope = readEnvelope(raw, index, seen);
    if (isProblem(envelope)) return void read.errors.push(envelope);
    const home = readHome(envelope);
    if ('message' in home) read.errors.push(home);
    else read.homes.push(home);
  });
  return read;
}

/** Ties each home to its community: the one it names, else the first polygon community containing it. */
export function tieHomes(read: HomeFeaturesRead, communities: readonly Community[]): HomesRead {
  const tied: HomesRead = { byCommunity: new Map(), errors: [...read.errors] };
  const byId = new Map(communities.map((c) => [c.id, c]));
  const ids = [...byId.keys()];
  const containing = polygonLocator(communities);
  for (const home of read.homes) {
    const { community: named, rawId: _rawId, ...given } = home;
    let community: Community | undefined;
    if (named !== undefined) {
      community = byId.get(named);
      if (!community) {
        tied.errors.push(homeProblem(home, `properties.community ${JSON.stringify(named)}: no such community${didYouMean(named, ids)}`));
        continue;
      }
    } else {
      community = containing(home.lon, home.lat);
      if (!community) {
        tied.errors.push(homeProblem(home, `[${home.lon}, ${home.lat}] lies outside every community polygon: expected a home inside one, or properties.community naming its community`));
        continue;
      }
    }
    let list = tied.byCommunity.get(community.index);
    if (!list) tied.byCommunity.set(community.index, (list = []));
    list.push(given);
  }
  tied.errors.sort((a, b) => a.index - b.index);
  return tied;
}

const HOME_GEOMETRIES = new Set(['Point', 'Polygon', 'MultiPolygon']);

function readHome(feature: InputFeature): HomeFeature | FeatureProblem {
  const geometryIssue = geometryProblem(feature.geometry, feature.properties);
  if (geometryIssue) return problem(feature, geometryIssue);
  const type = (feature.geometry as { type: string }).type;
  if (!HOME_GEOMETRIES.has(type)) return problem(feature, `geometry type ${type}: expected a Point (a home) or a Polygon or MultiPolygon (a building)`);
  const geometry = feature.geometry as Polygon | MultiPolygon | { type: 'Point'; coordinates: number[] };
  const point = representativePoint(geometry);
  if (!point) return problem(feature, `${type} has no area: expected a building's footprint`);

  const props = feature.properties;
  const home: HomeFeature = { index: feature.index, id: feature.id, ...(feature.rawId !== undefined ? { rawId: feature.rawId } : {}), lon: point[0], lat: point[1] };
  for (const key of ['population', 'households'] as const) {
    const value = optionalNonNegative(props, key);
    if (typeof value === 'object') return problem(feature, value.problem);
    if (value !== undefined) home[key] = value;
  }
  const levels = optionalNonNegative(props, 'building:levels');
  if (typeof levels === 'object') return problem(feature, levels.problem);
  if (levels !== undefined && levels < 1) return problem(feature, `properties["building:levels"]: got ${levels}, expected a number ≥ 1`);
  if (levels !== undefined) home.levels = levels;
  const community = optionalString(props, 'community');
  if (typeof community === 'object') return problem(feature, community.problem);
  if (community !== undefined) home.community = community;
  if (geometry.type !== 'Point') home.areaM2 = area(geometry);
  return home;
}

/** The first polygon community (in input order) containing a point, through a box index. */
function polygonLocator(communities: readonly Community[]): (lon: number, lat: number) => Community | undefined {
  const polygons = communities.filter((c) => c.geometry.type === 'Polygon' || c.geometry.type === 'MultiPolygon');
  if (polygons.length === 0) return () => undefined;
  const index = new Flatbush(polygons.length);
  for (const c of polygons) {
    const [west, south, east, north] = boxOf(c.geometry as Polygon | MultiPolygon);
    index.add(west, south, east, north);
  }
  index.finish();
  return (lon, lat) => {
    const hits = index.search(lon, lat, lon, lat).sort((a, b) => a - b);
    for (const i of hits) if (booleanPointInPolygon([lon, lat], polygons[i].geometry as Polygon | MultiPolygon)) return polygons[i];
    return undefined;
  };
}

function boxOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0]) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
  }
  return box;
}

/** A problem for a home already read: the same "feature 3 (id "a"): …" reference as `problem`. */
function homeProblem(home: HomeFeature, message: string): FeatureProblem {
  return problem({ index: home.index, id: home.id, rawId: home.rawId, geometry: undefined, properties: {} }, message);
}
