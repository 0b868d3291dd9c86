import { CATEGORY_IDS, categoryIndex } from '../facilities/categories.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Costing } from '../routing/costing.ts';
import { edgeUsable } from '../routing/costing.ts';
import { type NetworkPoint, networkPoint } from '../routing/network-point.ts';
import { PoiIndex } from '../routing/poi-index.ts';
import { snapToNetwork } from '../spatial/snap.ts';
import { hilbertOrder } from '../geo/hilbert-order.ts';

/**
 * Facilities placed on the network for one costing: every entrance of every facility, once per
 * category it provides, in a PoiIndex. One search from a community then reads which facilities of
 * which category it reaches. Built once per (facility set, costing) and cached by the caller.
 */
export interface PlacedFacilities {
  costing: Costing;
  facilities: readonly Facility[];
  index: PoiIndex;
  /** Facility (position in `facilities`) of each PoiIndex entry's source point. */
  facilityOfPoint: Uint32Array;
  /** Facilities that could not be placed, with why. */
  unplaced: { id: string; index: number; error: string }[];
}

export function placeFacilities(costing: Costing, facilities: readonly Facility[], maxSnapM: number): PlacedFacilities {
  const usable = (e: number) => edgeUsable(costing, e);
  // Snapped along a Hilbert curve, not in input order: a city's facilities come in any order, and
  // snapping them so made each snap read the network's index from memory, not the cache (~5× slower).
  const where = new Float64Array(2 * facilities.length);
  facilities.forEach((f, i) => {
    where[2 * i] = f.lon;
    where[2 * i + 1] = f.lat;
  });
  const snapped: NetworkPoint[][] = new Array(facilities.length);
  for (const f of hilbertOrder(Uint32Array.from(facilities.keys()), where)) {
    const facility = facilities[f];
    const spots = facility.entrances && facility.entrances.length > 0 ? facility.entrances : [[facility.lon, facility.lat] as [number, number]];
    const placed: NetworkPoint[] = [];
    for (const [lon, lat] of spots) {
      const snap = snapToNetwork(costing.graph, lon, lat, maxSnapM, usable);
      if (snap) placed.push(networkPoint(costing, snap));
    }
    snapped[f] = placed;
  }
  const points: NetworkPoint[] = [];
  const categories: number[] = [];
  const owner: number[] = [];
  const unplaced: PlacedFacilities['unplaced'] = [];
  facilities.forEach((facility, f) => {
    const placed = snapped[f];
    if (placed.length === 0) {
      unplaced.push({ id: facility.id, index: facility.index, error: `no road usable by ${costing.speeds.mode} within ${maxSnapM} m` });
      return;
    }
    for (const category of facility.categories) {
      const c = categoryIndex(category);
      for (const point of placed) {
        points.push(point);
        categories.push(c);
        owner.push(f);
      }
    }
  });
  const index = new PoiIndex(costing, points, categories, CATEGORY_IDS.length);
  return { costing, facilities, index, facilityOfPoint: Uint32Array.from(owner), unplaced };
}
