import type { Community } from '../communities/read-communities.ts';
import type { CommunityHomes } from '../communities/homes.ts';
import { placeHomes, representativeHomes } from '../communities/place-homes.ts';
import type { LonLat } from '../facilities/feature-geometry.ts';
import { haversineM } from '../geo/distance.ts';
import { type Costing, edgeUsable } from '../routing/costing.ts';
import { type NetworkPoint, networkPoint } from '../routing/network-point.ts';
import { snapToNetwork } from '../spatial/snap.ts';

/**
 * Where each home of a community sets out from on the network, for one costing (mode): the points
 * every coverage verdict is measured from. Shared by the city-wide engine and the per-home oracle
 * (coverage.ts), so both start from the same places.
 *
 * - A home of a part with gates walks straight to each gate of its own part, at walking speed, and
 *   leaves by the gate's road: the gate's point with the home's walk added to its access leg. It is
 *   never credited with another part's gates.
 * - A home of a part without gates walks to its nearest usable road (its own access leg).
 * - The representative rule's single home sets out from all of its pooled points at once.
 *
 * A home that cannot be placed (no usable road within maxSnapM of it or of any of its gates) gets an
 * empty list: it counts as reaching nothing, and the community reports how many homes were placed.
 */
export const ORIGIN_RULES = ['homes', 'representative'] as const;
export type OriginRule = (typeof ORIGIN_RULES)[number];

export function placeHomeOrigins(costing: Costing, homes: CommunityHomes, maxSnapM: number): NetworkPoint[][] {
  const usable = (e: number) => edgeUsable(costing, e);
  const snap = (lon: number, lat: number): NetworkPoint | undefined => {
    const s = snapToNetwork(costing.graph, lon, lat, maxSnapM, usable);
    return s ? networkPoint(costing, s) : undefined;
  };
  if (homes.pooledOrigins) {
    const points: NetworkPoint[] = [];
    for (const [lon, lat] of homes.pooledOrigins) {
      const p = snap(lon, lat);
      if (p) points.push(p);
    }
    return homes.homes.map(() => points);
  }
  // Each gate is snapped once, however many homes walk to it.
  const gates: { at: LonLat; point: NetworkPoint }[][] = homes.gates.map((part) => {
    const placed: { at: LonLat; point: NetworkPoint }[] = [];
    for (const at of part) {
      const point = snap(at[0], at[1]);
      if (point) placed.push({ at, point });
    }
    return placed;
  });
  const walkMps = costing.accessSpeedMps;
  return homes.homes.map((home) => {
    const own = gates[home.part];
    if (own && own.length > 0) {
      return own.map(({ at, point }) => {
        const walkM = haversineM(home.lon, home.lat, at[0], at[1]);
        return { edge: point.edge, fraction: point.fraction, accessS: point.accessS + walkM / walkMps, accessM: point.accessM + walkM };
      });
    }
    // A part whose gates were given but none could be placed is not walked out of another way:
    // its homes are unplaced rather than credited with a road the compound may not open onto.
    if (homes.gates[home.part]?.length) return [];
    const p = snap(home.lon, home.lat);
    return p ? [p] : [];
  });
}

/**
 * A community's homes: those placed by the caller (community.homes: given homes, OSM buildings),
 * else placed here from the geometry alone (a grid in each polygon part, a Point's one home, a
 * MultiPoint's gates) — so every caller of the engine measures from homes without placing them
 * itself; `origin: "representative"` is today's one-point rule, for comparison. Placed once per
 * community object (the engine asks per travel group and again when it reports).
 */
export function homesOf(community: Community, origin: OriginRule = 'homes'): CommunityHomes {
  if (origin === 'representative') return representativeHomes(community);
  if (community.homes) return community.homes;
  let homes = placed.get(community);
  if (!homes) placed.set(community, (homes = placeHomes(community)));
  return homes;
}

const placed = new WeakMap<Community, CommunityHomes>();
