import { type Costing, edgeUsable } from '../routing/costing.ts';
import { snapToNetwork } from '../spatial/snap.ts';

/**
 * Candidate sites on a grid: one per `spacingM` square cell of the extent, where the cell's centre
 * meets the network (its nearest road the mode may use, within half a diagonal: a cell with no road
 * gives no site). Sites are on roads, so each is reached where a new facility's door would open;
 * two cells snapping to the same spot give one site.
 */
export interface GridSite {
  id: string;
  lon: number;
  lat: number;
}

export function gridCandidates(costing: Costing, extent: readonly [number, number, number, number], spacingM: number, maxSites: number): { sites: GridSite[]; cells: number } {
  const [west, south, east, north] = extent;
  const midLat = (south + north) / 2;
  const dLat = spacingM / 111_320;
  const dLon = spacingM / (111_320 * Math.cos((midLat * Math.PI) / 180));
  const rows = Math.max(1, Math.ceil((north - south) / dLat));
  const cols = Math.max(1, Math.ceil((east - west) / dLon));
  const usable = (e: number) => edgeUsable(costing, e);
  const seen = new Set<string>();
  const sites: GridSite[] = [];
  const reach = (spacingM * Math.SQRT2) / 2;
  for (let r = 0; r < rows && sites.length < maxSites; r++) {
    for (let c = 0; c < cols && sites.length < maxSites; c++) {
      const lon = west + (c + 0.5) * dLon;
      const lat = south + (r + 0.5) * dLat;
      const snap = snapToNetwork(costing.graph, lon, lat, reach, usable);
      if (!snap) continue;
      const key = `${snap.edge}:${Math.round(snap.fraction * 1e4)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sites.push({ id: `grid-${r}-${c}`, lon: snap.lon, lat: snap.lat });
    }
  }
  return { sites, cells: rows * cols };
}
