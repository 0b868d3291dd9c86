import type { Feature, FeatureCollection, Point } from 'geojson';
import { InputError, featureRef, showValue } from '../errors.ts';
import { featuresInWgs84 } from '../geo/collection-crs.ts';
import { DEFAULT_MAX_SNAP_M, snapToNetwork, type Snap } from '../spatial/snap.ts';
import { type Costing, edgeUsable } from './costing.ts';
import { type NetworkPoint, networkPoint } from './network-point.ts';

/**
 * Turns a FeatureCollection of Points (origins, targets, facilities) into points on the network,
 * one result per feature: a bad or unsnappable feature gets its own error and the batch goes on.
 */
export interface LocatedPoint {
  index: number;
  id: string;
  lon: number;
  lat: number;
  /** Present when the point was placed on the network. */
  point?: NetworkPoint;
  snap?: Snap;
  error?: string;
  properties: Record<string, unknown>;
}

export interface LocateOptions {
  /** `origins`, `targets`...: named in errors. */
  what: string;
  maxSnapM?: number;
  /** The request's `crs`: the points' coordinate system when the collection has no crs member (src/core/geo/collection-crs.ts). */
  crs?: unknown;
}

export function locatePoints(costing: Costing, input: unknown, opts: LocateOptions): LocatedPoint[] {
  const { features } = featuresInWgs84(pointFeatures(input, opts.what), (input as { crs?: unknown }).crs, opts.what, opts.crs);
  const maxSnapM = opts.maxSnapM ?? DEFAULT_MAX_SNAP_M;
  const usable = (e: number) => edgeUsable(costing, e);
  return features.map((feature, index) => {
    const raw = feature as Partial<Feature<Point>> | null;
    const props = raw && typeof raw.properties === 'object' && raw.properties !== null ? raw.properties : {};
    const rawId = props.id ?? raw?.id;
    const id = rawId === undefined || rawId === null ? String(index) : typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : showValue(rawId);
    const ref = featureRef(index, rawId ?? undefined);
    const coords = pointCoordinates(raw);
    if (typeof coords === 'string') return { index, id, lon: NaN, lat: NaN, error: `${opts.what} ${ref}: ${coords}`, properties: props };
    const [lon, lat] = coords;
    const snap = snapToNetwork(costing.graph, lon, lat, maxSnapM, usable);
    if (!snap) {
      return {
        index, id, lon, lat, properties: props,
        error: `${opts.what} ${ref}: no road usable by ${costing.speeds.mode} within ${maxSnapM} m of [${lon}, ${lat}]`,
      };
    }
    return { index, id, lon, lat, snap, point: networkPoint(costing, snap), properties: props };
  });
}

/** Checks the collection itself; problems with one feature are left to that feature. */
export function pointFeatures(input: unknown, what: string): unknown[] {
  const fc = input as FeatureCollection | null;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InputError('INVALID_GEOJSON', `${what}: expected a GeoJSON FeatureCollection of Points, got ${describe(input)}`, { where: what });
  }
  return fc.features;
}

function pointCoordinates(feature: Partial<Feature<Point>> | null): [number, number] | string {
  if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') return 'expected a GeoJSON Feature';
  const geometry = feature.geometry;
  if (!geometry) return 'geometry is null: expected a Point';
  if ((geometry.type as string) === 'MultiPoint') {
    const count = Array.isArray(geometry.coordinates) ? geometry.coordinates.length : 0;
    return `MultiPoint of ${count} positions: expected a Point, or a MultiPoint of one position (split it into one feature per point, e.g. ogr2ogr -explodecollections)`;
  }
  if (geometry.type !== 'Point') return `geometry type ${typeof geometry.type === 'string' ? geometry.type : showValue(geometry.type)}: expected Point`;
  const c = geometry.coordinates;
  if (!Array.isArray(c) || c.length < 2) return 'coordinates must be [lon, lat]';
  const [lon, lat] = c;
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    return `coordinates ${showValue(c.slice(0, 2))} are not WGS84 lon/lat (expected lon in [-180, 180], lat in [-90, 90])`;
  }
  return [lon, lat];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with type ${showValue((value as { type?: unknown }).type)}`;
  return typeof value;
}
