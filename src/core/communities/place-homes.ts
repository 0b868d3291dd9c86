/**
 * Where a community's residents live (its `CommunityHomes`), by the first rule that applies:
 *
 *  1. `given`: the homes the caller gave for this community (read-homes.ts);
 *  2. `buildings`: the network's residential buildings (residential-buildings.ts) inside the
 *     polygon — when every part of it has at least one (a part without any would otherwise have its
 *     residents moved into another part) and their footprints cover at least `minBuildingCover`
 *     (10 %) of its area: compounds are built over at 20–35 %, and in OSM a compound with one of its
 *     twenty towers mapped would put everyone in that tower (in the Chengdu sample, 1 building on
 *     8 ha);
 *  3. `grid`: a regular grid inside each polygon part (homes-grid.ts), at least one home per part
 *     (its interior point when the part is narrower than the spacing);
 *  4. `point`: a Point community is one home;
 *  5. `gates`: a MultiPoint community (gates, no area) is one home at the gates' centroid.
 *
 * Gates (`properties.entrances`, or a MultiPoint's points) belong to the part that contains them,
 * else to the nearest part: a home walks out through a gate of its own part only.
 *
 * Weights stand for residents:
 *  - given homes: their `population`; else `households` × the community's persons per household
 *    (its population / households, when it has both), else `households`; homes with neither share
 *    the community's population by floor area (footprint × levels) when all are buildings, else
 *    equally — and when only some homes have a figure, the others get the mean of those figures;
 *  - buildings: the community's population shared by floor area (footprint × `building:levels`);
 *  - grid: the community's population shared among the parts by area, equally within a part;
 *  - point, gates, representative: the community's population on its one home.
 * A community without a population (or with 0) gets the same shares scaled to sum to its number of
 * homes, so every home still counts and a share of residents is a share of homes.
 *
 * A community is capped at `cap` homes (grid: the spacing is raised until they fit; buildings:
 * buildings in one cell of a grid coarse enough to fit are one home, at the cell's largest building,
 * carrying their combined weight); `capped` then says how many there would have been.
 *
 * Pure: no file or network access.
 */
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Position } from 'geojson';
import { InputError } from '../errors.ts';
import { type LonLat, interiorPoint } from '../facilities/feature-geometry.ts';
import { LocalProjection } from '../geo/local-projection.ts';
import type { CommunityHomes, Home } from './homes.ts';
import { distanceToRingsM, fitSpacing, gridPoints } from './homes-grid.ts';
import type { GivenHome } from './read-homes.ts';
import type { Community } from './read-communities.ts';
import type { ResidentialBuildings } from './residential-buildings.ts';

const DEFAULT_HOME_SPACING_M = 25;
/** Beyond 50 m a grid home stands for people a minute's walk away or more. */
const MAX_HOME_SPACING_M = 50;
const DEFAULT_HOMES_CAP = 400;
const DEFAULT_MIN_BUILDING_COVER = 0.1;

export interface PlaceHomesOptions {
  /** This community's given homes (`readHomes(…).byCommunity.get(community.index)`). */
  given?: readonly GivenHome[];
  /** The network's residential buildings (OSM networks). */
  buildings?: ResidentialBuildings;
  /** Grid spacing, metres: > 0 and ≤ 50; 25 by default. */
  spacingM?: number;
  /** Most homes per community (grid and buildings): 400 by default. */
  cap?: number;
  /** Least share of the polygon's area the buildings' footprints must cover to be its homes: 0.1 by default. */
  minBuildingCover?: number;
}

export function placeHomes(community: Community, opts: PlaceHomesOptions = {}): CommunityHomes {
  const spacingM = opts.spacingM ?? DEFAULT_HOME_SPACING_M;
  const cap = opts.cap ?? DEFAULT_HOMES_CAP;
  if (!(spacingM > 0 && spacingM <= MAX_HOME_SPACING_M)) {
    throw new InputError('INVALID_PARAMETER', `homeSpacingM: got ${spacingM}, expected a number > 0 and ≤ ${MAX_HOME_SPACING_M}`, { where: 'homeSpacingM' });
  }
  if (!Number.isInteger(cap) || cap < 1) throw new InputError('INVALID_PARAMETER', `homesCap: got ${cap}, expected an integer ≥ 1`, { where: 'homesCap' });

  const parts = partsOf(community);
  const proj = new LocalProjection(community.origins[0][1]);
  const gates = gatesOf(community, parts, proj);
  const population = community.population !== undefined && community.population > 0 ? community.population : undefined;

  if (opts.given && opts.given.length > 0) return { rule: 'given', homes: givenHomes(community, opts.given, parts, proj), gates };
  if (parts.length === 0) {
    if (community.geometry.type === 'Point') {
      const [lon, lat] = community.geometry.coordinates;
      return { rule: 'point', homes: [{ lon, lat, weight: population ?? 1, part: 0 }], gates };
    }
    const points = community.geometry.type === 'MultiPoint' ? community.geometry.coordinates : community.origins;
    const lon = points.reduce((sum, p) => sum + p[0], 0) / points.length;
    const lat = points.reduce((sum, p) => sum + p[1], 0) / points.length;
    return { rule: 'gates', homes: [{ lon, lat, weight: population ?? 1, part: 0 }], gates };
  }
  const minCover = opts.minBuildingCover ?? DEFAULT_MIN_BUILDING_COVER;
  const fromBuildings = opts.buildings && buildingHomes(opts.buildings, parts, spacingM, cap, minCover, proj, population);
  if (fromBuildings) return { ...fromBuildings, gates };
  return { ...gridHomes(parts, spacingM, cap, proj, population), gates };
}

/** Today's one-point rule (`origin: "representative"`): one home setting out from every origin at once. */
export function representativeHomes(community: Community): CommunityHomes {
  const [lon, lat] = community.origins[0];
  const weight = community.population !== undefined && community.population > 0 ? community.population : 1;
  return { rule: 'representative', homes: [{ lon, lat, weight, part: 0 }], gates: [[]], pooledOrigins: community.origins };
}

/** The polygon parts (rings in WGS84); none for a Point or MultiPoint. */
function partsOf(community: Community): Position[][][] {
  const g = community.geometry;
  return g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
}

/** The part containing a point, else the one whose outline is nearest. */
function partOf(lon: number, lat: number, parts: Position[][][], proj: LocalProjection): number {
  if (parts.length <= 1) return 0;
  for (let p = 0; p < parts.length; p++) if (booleanPointInPolygon([lon, lat], { type: 'Polygon', coordinates: parts[p] })) return p;
  let best = 0;
  let bestM = Infinity;
  for (let p = 0; p < parts.length; p++) {
    const m = distanceToRingsM(lon, lat, parts[p], proj);
    if (m < bestM) [best, bestM] = [p, m];
  }
  return best;
}

function gatesOf(community: Community, parts: Position[][][], proj: LocalProjection): LonLat[][] {
  const byPart: LonLat[][] = Array.from({ length: Math.max(1, parts.length) }, () => []);
  if (community.originRule !== 'entrances') return byPart;
  for (const gate of community.origins) byPart[partOf(gate[0], gate[1], parts, proj)].push(gate);
  return byPart;
}

function givenHomes(community: Community, given: readonly GivenHome[], parts: Position[][][], proj: LocalProjection): Home[] {
  const perHousehold = community.population !== undefined && community.households ? community.population / community.households : undefined;
  const figures = given.map((h) => h.population ?? (h.households !== undefined ? h.households * (perHousehold ?? 1) : undefined));
  const known = figures.filter((f): f is number => f !== undefined);
  let weights: number[];
  if (known.length === figures.length) {
    weights = known;
  } else if (known.length > 0) {
    const mean = known.reduce((a, b) => a + b, 0) / known.length;
    weights = figures.map((f) => f ?? mean);
  } else {
    const allBuildings = given.every((h) => h.areaM2 !== undefined && h.areaM2 > 0);
    const shares = given.map((h) => (allBuildings ? h.areaM2! * (h.levels ?? 1) : 1));
    const population = community.population !== undefined && community.population > 0 ? community.population : undefined;
    weights = spread(shares, population);
  }
  return given.map((h, i) => ({ lon: h.lon, lat: h.lat, weight: weights[i], part: partOf(h.lon, h.lat, parts, proj) }));
}

function buildingHomes(
  buildings: ResidentialBuildings,
  parts: Position[][][],
  spacingM: number,
  cap: number,
  minCover: number,
  proj: LocalProjection,
  population: number | undefined,
): Pick<CommunityHomes, 'rule' | 'homes' | 'capped'> | undefined {
  const found: { id: number; part: number; floor: number }[] = [];
  const partsWithBuildings = new Set<number>();
  parts.forEach((rings, part) => {
    const polygon = { type: 'Polygon' as const, coordinates: rings };
    const [west, south, east, north] = boxOf(rings[0]);
    for (const id of buildings.inBox(west, south, east, north)) {
      if (!booleanPointInPolygon([buildings.lon[id], buildings.lat[id]], polygon)) continue;
      found.push({ id, part, floor: buildings.areaM2[id] * buildings.levels[id] });
      partsWithBuildings.add(part);
    }
  });
  if (parts.some((rings, part) => !partsWithBuildings.has(part) && interiorPoint(rings) !== undefined)) return undefined;
  // A point of a MultiPolygon's overlapping parts is taken once, in its first part.
  const seen = new Set<number>();
  const unique = found.filter((b) => (seen.has(b.id) ? false : (seen.add(b.id), true))).sort((a, b) => a.id - b.id);
  const footprints = unique.reduce((sum, b) => sum + buildings.areaM2[b.id], 0);
  const ground = parts.reduce((sum, rings) => sum + area({ type: 'Polygon', coordinates: rings }), 0);
  if (footprints < minCover * ground) return undefined;
  const groups = unique.length > cap ? mergeIntoCells(unique, buildings, spacingM, cap, proj) : unique.map((b) => [b]);
  const weights = spread(groups.map((g) => g.reduce((sum, b) => sum + b.floor, 0)), population);
  const homes = groups.map((group, i) => {
    const largest = group.reduce((a, b) => (b.floor > a.floor ? b : a));
    return { lon: buildings.lon[largest.id], lat: buildings.lat[largest.id], weight: weights[i], part: largest.part };
  });
  return { rule: 'buildings', homes, ...(unique.length > cap ? { capped: { cap, found: unique.length } } : {}) };
}

/**
 * Buildings grouped by part and grid cell, the cell grown until the groups fit the cap — or, with more
 * parts than the cap, until each part is one group (a part's residents never move to another part).
 */
function mergeIntoCells<B extends { id: number; part: number }>(found: B[], buildings: ResidentialBuildings, spacingM: number, cap: number, proj: LocalProjection): B[][] {
  const fewest = Math.max(cap, new Set(found.map((b) => b.part)).size);
  let cell = spacingM;
  for (;;) {
    const groups = new Map<string, B[]>();
    for (const b of found) {
      const key = `${b.part}:${Math.floor(proj.x(buildings.lon[b.id]) / cell)}:${Math.floor(proj.y(buildings.lat[b.id]) / cell)}`;
      const group = groups.get(key);
      if (group) group.push(b);
      else groups.set(key, [b]);
    }
    if (groups.size <= fewest) return [...groups.values()];
    cell *= Math.max(1.1, Math.sqrt(groups.size / cap));
  }
}

function gridHomes(
  parts: Position[][][],
  spacingM: number,
  cap: number,
  proj: LocalProjection,
  population: number | undefined,
): Pick<CommunityHomes, 'rule' | 'homes' | 'capped' | 'spacingM'> {
  const fitted = fitSpacing(parts, spacingM, cap, proj);
  const placed: { lon: number; lat: number; part: number; share: number }[] = [];
  parts.forEach((rings, part) => {
    let points = gridPoints(rings, fitted.spacingM, proj);
    if (points.length === 0) {
      const inside = interiorPoint(rings);
      // A degenerate part (a ring of no area) of a MultiPolygon has no ground to live on.
      if (!inside) return;
      points = [inside];
    }
    const partArea = area({ type: 'Polygon', coordinates: rings });
    for (const [lon, lat] of points) placed.push({ lon, lat, part, share: partArea / points.length });
  });
  const weights = spread(
    placed.map((p) => p.share),
    population,
  );
  return {
    rule: 'grid',
    homes: placed.map((p, i) => ({ lon: p.lon, lat: p.lat, weight: weights[i], part: p.part })),
    spacingM: fitted.spacingM,
    ...(fitted.spacingM !== spacingM ? { capped: { cap, found: fitted.homesAtRequested } } : {}),
  };
}

/** Shares scaled to sum to `total` (the population), or to their count when there is none. */
function spread(shares: number[], total: number | undefined): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const target = total ?? shares.length;
  if (!(sum > 0)) return shares.map(() => target / shares.length);
  return shares.map((s) => (s / sum) * target);
}

function boxOf(ring: Position[]): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of ring) {
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  }
  return box;
}
