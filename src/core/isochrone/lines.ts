/**
 * Isochrone lines: the reached road itself, per budget — every part of a segment reached within the
 * budget, cut exactly where the (linear) time along it crosses the budget. Unlike the polygons this
 * involves no grid and no off-network walk, so it is exact.
 */
import CheapRuler from 'cheap-ruler';
import type { MultiLineString, Position } from 'geojson';
import { assertBudgets } from './contour.ts';
import type { ReachedNetwork } from './reached-network.ts';

export interface IsochroneLine {
  budgetS: number;
  /** One two-point line per segment part, oriented from the earlier end. */
  geometry: MultiLineString;
  /** Total length of the parts, metres (cheap-ruler at the network's centre latitude). */
  lengthM: number;
}

/** One IsochroneLine per budget, in the order of `budgetsS`. */
export function isochroneLines(reached: ReachedNetwork, budgetsS: readonly number[]): IsochroneLine[] {
  assertBudgets(budgetsS);
  const ruler = new CheapRuler(centreLatitude(reached), 'meters');
  return budgetsS.map((budgetS) => linesWithin(reached, budgetS, ruler));
}

function linesWithin(reached: ReachedNetwork, budgetS: number, ruler: CheapRuler): IsochroneLine {
  const { coords: c, times } = reached;
  const parts: Position[][] = [];
  let lengthM = 0;
  for (let s = 0; s < reached.count; s++) {
    // Walk each segment from its earlier end, so the part within budget starts there.
    const flip = times[2 * s + 1] < times[2 * s];
    const early = flip ? 2 : 0;
    const late = flip ? 0 : 2;
    const tEarly = times[2 * s + (early >> 1)];
    const tLate = times[2 * s + (late >> 1)];
    if (tEarly > budgetS) continue;
    const start: Position = [c[4 * s + early], c[4 * s + early + 1]];
    const end: Position = [c[4 * s + late], c[4 * s + late + 1]];
    // Time is linear along the segment, and so (in a local frame) is position in lon/lat.
    const fraction = tLate <= budgetS ? 1 : (budgetS - tEarly) / (tLate - tEarly);
    if (fraction <= 0) continue; // reached exactly at the budget: a point, not a line
    const cut: Position =
      fraction === 1 ? end : [start[0] + (end[0] - start[0]) * fraction, start[1] + (end[1] - start[1]) * fraction];
    const partM = ruler.distance(start as [number, number], cut as [number, number]);
    if (partM === 0) continue;
    parts.push([start, cut]);
    lengthM += partM;
  }
  return { budgetS, geometry: { type: 'MultiLineString', coordinates: parts }, lengthM };
}

function centreLatitude(reached: ReachedNetwork): number {
  let south = Infinity;
  let north = -Infinity;
  for (let i = 0; i < reached.count * 2; i++) {
    const lat = reached.coords[2 * i + 1];
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return reached.count > 0 ? (south + north) / 2 : 0;
}
