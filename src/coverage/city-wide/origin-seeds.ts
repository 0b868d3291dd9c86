import type { Community } from '../../communities/read-communities.ts';
import type { Costing } from '../../routing/costing.ts';
import { addPointSeeds } from '../../routing/network-point.ts';
import { SeedList } from '../../routing/search.ts';
import { placeOrigins } from '../coverage.ts';
import { allocate, copyOf } from './typed.ts';

/**
 * Every community's origins for one travel group, placed on the network as the per-community method
 * places them (the same `placeOrigins`), in CSR form by community:
 *
 * - seeds: the end nodes each origin reaches first along its own edge, with that partial edge and
 *   the access leg — what the per-community forward search is seeded with;
 * - points: the origins' positions on their edges, for facilities on the same edge, reached straight
 *   along it without passing a node.
 *
 * Communities the group does not assess (another type) have no seeds and no points.
 */
export interface OriginSeeds {
  communityCount: number;
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

export function originSeeds(costing: Costing, communities: readonly Community[], assessed: (c: Community) => boolean, maxSnapM: number, shared: boolean): OriginSeeds {
  const n = communities.length;
  const seedStart = allocate(Uint32Array, n + 1, shared);
  const pointStart = allocate(Uint32Array, n + 1, shared);
  const seeds = new SeedList(Math.max(16, 4 * n));
  const edge: number[] = [];
  const fraction: number[] = [];
  const accessS: number[] = [];
  const accessM: number[] = [];
  communities.forEach((community, i) => {
    if (assessed(community)) {
      for (const p of placeOrigins(costing, community.origins, maxSnapM)) {
        addPointSeeds(seeds, costing, p, 'forward');
        edge.push(p.edge);
        fraction.push(p.fraction);
        accessS.push(p.accessS);
        accessM.push(p.accessM);
      }
    }
    seedStart[i + 1] = seeds.count;
    pointStart[i + 1] = edge.length;
  });
  return {
    communityCount: n,
    seedStart,
    seedNode: copyOf(Uint32Array, seeds.node.subarray(0, seeds.count), shared),
    seedTime: copyOf(Float64Array, seeds.time.subarray(0, seeds.count), shared),
    seedMeters: copyOf(Float64Array, seeds.meters.subarray(0, seeds.count), shared),
    pointStart,
    pointEdge: copyOf(Uint32Array, edge, shared),
    pointFraction: copyOf(Float64Array, fraction, shared),
    pointAccessS: copyOf(Float64Array, accessS, shared),
    pointAccessM: copyOf(Float64Array, accessM, shared),
  };
}

/** Origins of community i placed on the network (0: none within reach of a usable road). */
export function placedOrigins(origins: OriginSeeds, i: number): number {
  return origins.pointStart[i + 1] - origins.pointStart[i];
}
