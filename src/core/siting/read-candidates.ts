import type { Geometry, Position } from 'geojson';
import { type LonLat, geometryProblem, outlinePoints, readEntrances, representativePoint } from '../facilities/feature-geometry.ts';
import { type FeatureProblem, isProblem, optionalNonNegative, problem, readCollection, readEnvelope } from '../facilities/feature-input.ts';

/**
 * Candidate sites from a GeoJSON FeatureCollection, placed as facilities are (read-facilities.ts):
 * a point is the site; a parcel (Polygon, MultiPolygon) is reached at its outline, or at its
 * `entrances` when given; a MultiPoint's points are its entrances. Optional `cost` (≥ 0, for a
 * `budget`) and `capacity` (residents, ≥ 0: read and reported, not yet a constraint).
 */
export interface CandidateSite {
  index: number;
  id: string;
  name?: string;
  lon: number;
  lat: number;
  entrances?: LonLat[];
  cost?: number;
  capacity?: number;
  geometry: Geometry;
}

export function readCandidates(input: unknown, opts: { crs?: unknown } = {}): { sites: CandidateSite[]; errors: FeatureProblem[] } {
  const { features } = readCollection(input, 'candidates', opts.crs);
  const sites: CandidateSite[] = [];
  const errors: FeatureProblem[] = [];
  const seen = new Map<string, number>();
  features.forEach((raw, index) => {
    const feature = readEnvelope(raw, index, seen);
    if (isProblem(feature)) return void errors.push(feature);
    const issue = geometryProblem(feature.geometry, feature.properties);
    if (issue) return void errors.push(problem(feature, issue));
    const props = feature.properties;
    const entrancesIn = readEntrances(props.entrances);
    if (typeof entrancesIn === 'string') return void errors.push(problem(feature, entrancesIn));
    const cost = optionalNonNegative(props, 'cost');
    if (typeof cost === 'object') return void errors.push(problem(feature, cost.problem));
    const capacity = optionalNonNegative(props, 'capacity');
    if (typeof capacity === 'object') return void errors.push(problem(feature, capacity.problem));
    const geometry = feature.geometry as Geometry;
    const point = representativePoint(geometry);
    if (!point) return void errors.push(problem(feature, `${geometry.type} has no area: expected a point or a parcel`));
    const entrances = entrancesIn
      ? entrancesIn.map((p: Position): LonLat => [p[0], p[1]])
      : geometry.type === 'MultiPoint'
        ? geometry.coordinates.map((p): LonLat => [p[0], p[1]])
        : geometry.type === 'Polygon' || geometry.type === 'MultiPolygon'
          ? outlinePoints(geometry)
          : undefined;
    const name = typeof props.name === 'string' ? props.name : undefined;
    sites.push({
      index,
      id: feature.id,
      ...(name !== undefined ? { name } : {}),
      lon: point[0],
      lat: point[1],
      ...(entrances ? { entrances } : {}),
      ...(cost !== undefined ? { cost } : {}),
      ...(capacity !== undefined ? { capacity } : {}),
      geometry,
    });
  });
  return { sites, errors };
}
