import type { Community } from '../../communities/read-communities.ts';
import type { Costing } from '../../routing/costing.ts';
import { addPointSeeds } from '../../routing/network-point.ts';
import { SeedList } from '../../routing/search.ts';
import { type OriginRule, homesOf, placeHomeOrigins } from '../home-origins.ts';
import { allocate, copyOf } from './typed.ts';

/**
 * Every home of every community for one travel group, placed on the network as the per-home oracle
 * places them (the same `placeHomeOrigins`). Rows are homes, in CSR form by community (`rowStart`);
 * per row:
 *
 * - seeds: the end nodes each of the home's points reaches first along its own edge, with that
 *   partial edge and the access leg (the walk to a gate included) — what a forward search from the
 *   home is seeded with;
 * - points: the points' positions on their edges, for facilities on the same edge, reached straight
 *   along it without passing a node.
 *
 * Communities the group does not assess (another type) have no rows.
 */
export interface OriginSeeds {
  communityCount: number;
  rowCount: number;
  /** Rows (homes) of community i: rowStart[i] .. rowStart[i+1]-1. */
  rowStart: Uint32Array;
  /** Residents each home stands for (relative within its community). */
  rowWeight: Float64Array;
  seedStart: Uint32Array;
  seedNode: Uint32Array;
  seedTime: Float64Array;
  seedMeters: Float64Array;
  pointStart: Uint32Array;
  pointEdge: Uint32Array;
  pointFraction: Float64Array;
  pointAccessS: Float64Array;
  pointAccessM: Float64Array;
}

export function originSeeds(
  costing: Costing,
  communities: readonly Community[],
  assessed: (c: Community) => boolean,
  maxSnapM: number,
  shared: boolean,
  origin: OriginRule = 'homes',
): OriginSeeds {
  const n = communities.length;
  const rowStart = allocate(Uint32Array, n + 1, shared);
  const weights: number[] = [];
  const seedStart: number[] = [0];
  const pointStart: number[] = [0];
  const seeds = new SeedList(Math.max(16, 4 * n));
  const edge: number[] = [];
  const fraction: number[] = [];
  const accessS: number[] = [];
  const accessM: number[] = [];
  communities.forEach((community, i) => {
    if (assessed(community)) {
      const homes = homesOf(community, origin);
      const placed = placeHomeOrigins(costing, homes, maxSnapM);
      homes.homes.forEach((home, h) => {
        for (const p of placed[h]) {
          addPointSeeds(seeds, costing, p, 'forward');
          edge.push(p.edge);
          fraction.push(p.fraction);
          accessS.push(p.accessS);
          accessM.push(p.accessM);
        }
        weights.push(home.weight);
        seedStart.push(seeds.count);
        pointStart.push(edge.length);
      });
    }
    rowStart[i + 1] = weights.length;
  });
  return {
    communityCount: n,
    rowCount: weights.length,
    rowStart,
    rowWeight: copyOf(Float64Array, weights, shared),
    seedStart: copyOf(Uint32Array, seedStart, shared),
    seedNode: copyOf(Uint32Array, seeds.node.subarray(0, seeds.count), shared),
    seedTime: copyOf(Float64Array, seeds.time.subarray(0, seeds.count), shared),
    seedMeters: copyOf(Float64Array, seeds.meters.subarray(0, seeds.count), shared),
    pointStart: copyOf(Uint32Array, pointStart, shared),
    pointEdge: copyOf(Uint32Array, edge, shared),
    pointFraction: copyOf(Float64Array, fraction, shared),
    pointAccessS: copyOf(Float64Array, accessS, shared),
    pointAccessM: copyOf(Float64Array, accessM, shared),
  };
}

/** Homes of community i placed on the network (0: none within reach of a usable road). */
export function placedHomes(origins: OriginSeeds, i: number): number {
  let placed = 0;
  for (let r = origins.rowStart[i]; r < origins.rowStart[i + 1]; r++) if (origins.pointStart[r + 1] > origins.pointStart[r]) placed++;
  return placed;
}
