import type { Graph } from '../../src/core/network/graph.ts';
import { costingFor } from '../../src/core/routing/costing.ts';
import { locatePoints, type LocatedPoint } from '../../src/core/routing/locate.ts';
import { PoiIndex, nearestByCategory } from '../../src/core/routing/poi-index.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import { summarize, type Summary } from './stats.ts';

export interface ReachBench {
  origins: number;
  pois: number;
  categories: number;
  /** Microseconds per origin: bounded search + nearest POI of every category. */
  perOriginUs: Summary;
  queriesPerSecond: number;
  /** Mean nodes settled per query: how much network a 15-minute walk covers here. */
  meanSettled: number;
  meanCategoriesFound: number;
}

/**
 * The product's inner loop, in-process: from one origin, a 15-minute walk and the nearest facility of
 * each category. Warmed up first; each query timed alone with hrtime.
 */
export function benchReach(graph: Graph, facilities: unknown, origins: unknown, minutes = 15, warmup = 200): ReachBench {
  const costing = costingFor(graph, { mode: 'walk' });
  const pois = locatePoints(costing, facilities, { what: 'facilities' });
  const names = new Map<string, number>();
  const categories = pois.map((p) => {
    const c = String(p.properties.category ?? 'unknown');
    if (!names.has(c)) names.set(c, names.size);
    return names.get(c)!;
  });
  const index = new PoiIndex(costing, pois.map((p) => p.point), categories, names.size);
  const placed = locatePoints(costing, origins, { what: 'origins' }).filter((o): o is LocatedPoint & { point: NonNullable<LocatedPoint['point']> } => !!o.point);
  const router = new Router(graph);
  const outTime = new Float64Array(names.size);
  const outPoi = new Int32Array(names.size);
  const budget = minutes * 60;
  const seed = [placed[0].point];
  const query = (i: number) => {
    seed[0] = placed[i % placed.length].point;
    const search = router.searchFrom(costing, seed, budget);
    nearestByCategory(search, index, seed, outTime, outPoi);
    return search.settledCount;
  };
  for (let i = 0; i < warmup; i++) query(i);
  const samples: number[] = [];
  let settled = 0;
  let found = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < placed.length; i++) {
    const t0 = process.hrtime.bigint();
    settled += query(i);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    for (let c = 0; c < outTime.length; c++) if (outTime[c] < Infinity) found++;
  }
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    origins: placed.length,
    pois: index.poi.length,
    categories: names.size,
    perOriginUs: summarize(samples),
    queriesPerSecond: Math.round(placed.length / totalS),
    meanSettled: Math.round(settled / placed.length),
    meanCategoriesFound: Math.round((found / placed.length) * 10) / 10,
  };
}
