/**
 * What a compute request will cost, estimated from its parsed body and the size of the network it
 * runs on, before any search: where it may run (a few milliseconds on the event loop, or a worker
 * thread) and whether its answer may be built at all (MAX_ANSWER_MB).
 *
 * The model. A search from one point within T seconds at the mode's top speed v reaches at most the
 * roads within the disk of radius r = v·T (network distance is never shorter than the straight line).
 * Roads are counted with the network's mean density (edges / bbox area) times PEAK_DENSITY, because
 * origins sit where roads are denser than the mean, and never more than the whole network:
 *
 *   reachedEdges(T) = min(E, E / bboxArea · π r² · PEAK_DENSITY)
 *
 * Work is then a sum of counted steps, each weighted by its cost (µs, measured warm on an idle 2-core
 * machine with the Chengdu sample, 81 requests of every operation and mode): searches by reached
 * edges, isochrone polygons by grid cells (time surface once, contour once per budget, at most
 * MAX_CELLS), lines by reached segments per budget, points by snaps, inline networks by the
 * coordinates compiled, stored networks by the edges read, and the answer by its bytes (JSON.stringify). The answer's size: isochrone
 * rings by their vertices (boundary length / cell size, the boundary being the disk's circle plus
 * the reached road length times PERIMETER_PER_ROAD_M), lines by reached segments, travel times by
 * origin–target pairs, coverage by communities × the standards' items. On the sample, every answer
 * is at most 0.8 of its estimate (test/requests/cost.test.ts checks it never exceeds it).
 *
 * Conservative on purpose (an estimate that is too high only sends a request to a worker, or refuses
 * what a job could do); the worker checks the real answer's size as well. Invalid values are not
 * reported here: they count as their defaults (or as the maximum where that is larger) and the
 * operation itself answers them with its usual message.
 */
import { communityTypeOf } from '../../core/communities/read-communities.ts';
import { InputError } from '../../core/errors.ts';
import { DEFAULT_SPEED_KMH, FERRY_CLASS, type Mode, isMode, speedTable } from '../../core/network/profiles.ts';
import type { Graph } from '../../core/network/graph.ts';
import { listStandards, resolveStandards } from '../files/standards-catalogue.ts';
import type { Standard } from '../../core/standards/types.ts';
import { DEFAULTS, LIMITS } from './params.ts';

/** What the estimate needs of a network: counts, total length and extent. */
export interface NetworkSize {
  edges: number;
  /** Straight pieces of the edges' polylines (lines answers list each reached one). */
  segments: number;
  lengthM: number;
  /** [west, south, east, north], WGS84; null when unknown (no network). */
  bbox: readonly [number, number, number, number] | null;
  /** Coordinates still to compile: an inline network. */
  inlineCoordinates?: number;
  /** Edges of a graph file still to read: a stored network (kept once read, but counted every time). */
  graphFileEdges?: number;
}

export interface CostEstimate {
  /** Estimated microseconds of one core, from parsing done to answer rendered. */
  workUs: number;
  /** Estimated size of the rendered answer, bytes. */
  answerBytes: number;
  /** What to reduce when the answer is too large, for the 422's message. */
  reduce: string;
}

export type CostedOperation = 'isochrones' | 'travel-times' | 'route' | 'coverage' | 'siting';

/** Roads around an origin are denser than the network's mean: this many times, at most. */
const PEAK_DENSITY = 2;
/** Isochrone boundary per metre of reached road (measured 0.37 on the sample; sparse networks reach 2). */
const PERIMETER_PER_ROAD_M = 1;
/** Grid cells of one isochrone time surface at most (src/core/isochrone/time-surface.ts). */
const MAX_CELLS = 2_000_000;
/** Tagged maxspeeds may exceed the car's class speeds: a car is counted at least this fast, km/h. */
const CAR_TOP_KMH = 120;
/** Sites a siting request's grid is counted as, before its extent is known. */
const SITING_GRID_SITES = 10_000;
/** Polylines with unknown geometry (a stored network's counts) are counted with this many segments per edge (sample: 2.2). */
const SEGMENTS_PER_EDGE = 4;

/** Measured costs, µs (see the top of this file and test/requests/cost.test.ts). */
const WEIGHTS_US = {
  edge: 0.5,
  segment: 0.6,
  cell: 0.15,
  snap: 5,
  inlineCoordinate: 2,
  graphFileEdge: 0.2,
  coverageItem: 1,
  answerByte: 0.01,
};

/** Bytes in an answer, per thing listed. */
const BYTES = {
  /** `[104.0123456789012,30.12345678901234],` */
  vertex: 40,
  /** `[[lon,lat],[lon,lat]],` of a lines answer */
  linePart: 80,
  /** A feature's properties and styling. */
  feature: 400,
  /** `{"targetId":"…","minutes":12.345,"meters":1234.5},` without the id */
  pair: 45,
  /** An origin's entry in a travel-times answer, without its pairs. */
  origin: 200,
  /** One item of one standard in a community's coverage report (measured 330 on the sample). */
  coverageItem: 400,
  /** A community's entry without its items. */
  community: 1000,
  /** Whatever an answer carries besides its list (speeds, tolerance, report of an inline network). */
  base: 4000,
};

export function estimateCost(operation: CostedOperation, body: Record<string, unknown>, network: NetworkSize | undefined): CostEstimate {
  // The operation refuses these with its own message, before it compiles or searches anything.
  if (overCountLimits(operation, body)) return { workUs: 0, answerBytes: 0, reduce: '' };
  const reach = new Reach(network, topSpeedMps(body));
  const compile = (network?.inlineCoordinates ?? 0) * WEIGHTS_US.inlineCoordinate + (network?.graphFileEdges ?? 0) * WEIGHTS_US.graphFileEdge;
  const estimate = ESTIMATORS[operation](body, reach);
  const answerBytes = BYTES.base + estimate.answerBytes;
  return { workUs: compile + estimate.workUs + answerBytes * WEIGHTS_US.answerByte, answerBytes, reduce: estimate.reduce };
}

/** The size of a compiled graph. */
export function networkSizeOf(graph: Graph): NetworkSize {
  return { edges: graph.edgeCount, segments: graph.geom.length / 2 - graph.edgeCount, lengthM: graph.meta.report.lengthKm * 1000, bbox: graph.meta.bbox };
}

/**
 * The size of a network sent inline, read from its GeoJSON without building it: every segment counted
 * as an edge (junctions merge them, so this is more), its length on an equirectangular approximation.
 * Anything that is not a LineString or MultiLineString is skipped (the reader reports it).
 */
export function inlineNetworkSize(network: unknown): NetworkSize {
  let segments = 0;
  let coordinates = 0;
  let lengthM = 0;
  const box = new BoxBuilder();
  const addLine = (line: unknown) => {
    if (!Array.isArray(line)) return;
    let previous: [number, number] | undefined;
    for (const position of line) {
      coordinates++;
      if (!Array.isArray(position) || typeof position[0] !== 'number' || typeof position[1] !== 'number') continue;
      const point: [number, number] = [position[0], position[1]];
      box.add(point[0], point[1]);
      if (previous) {
        segments++;
        lengthM += approximateDistanceM(previous, point);
      }
      previous = point;
    }
  };
  for (const feature of featuresOf(network)) {
    const geometry = (feature as { geometry?: { type?: unknown; coordinates?: unknown } } | null)?.geometry;
    if (geometry?.type === 'LineString') addLine(geometry.coordinates);
    else if (geometry?.type === 'MultiLineString' && Array.isArray(geometry.coordinates)) for (const line of geometry.coordinates) addLine(line);
  }
  return { edges: segments, segments, lengthM: Number.isFinite(lengthM) ? lengthM : 0, bbox: box.bbox(), inlineCoordinates: coordinates };
}

/**
 * The estimate of a request, refused (422 LIMIT_EXCEEDED, saying what to reduce) when its answer
 * would be over `maxAnswerBytes`. `network` is what it runs on when the body brings none.
 */
export function admit(operation: CostedOperation, body: Record<string, unknown>, network: NetworkSize | undefined, maxAnswerBytes: number): CostEstimate {
  const estimate = estimateCost(operation, body, isInline(body.network) ? inlineNetworkSize(body.network) : network);
  if (estimate.answerBytes > maxAnswerBytes) {
    throw new InputError('LIMIT_EXCEEDED', `the answer would be about ${megabytes(estimate.answerBytes)} MB, over the limit of ${megabytes(maxAnswerBytes)} MB (MAX_ANSWER_MB): ${estimate.reduce}`);
  }
  return estimate;
}

/** The real answer over `maxAnswerBytes` (the estimate fell short): the same refusal. */
export function answerTooLarge(bytes: number, maxAnswerBytes: number, estimate: CostEstimate): InputError {
  return new InputError('LIMIT_EXCEEDED', `the answer is ${bytes > 0 ? `${megabytes(bytes)} MB` : 'too large to build'}, over the limit of ${megabytes(maxAnswerBytes)} MB (MAX_ANSWER_MB): ${estimate.reduce}`);
}

function isInline(network: unknown): boolean {
  return network !== null && typeof network === 'object';
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? Math.round(mb).toLocaleString('en') : mb.toFixed(1);
}

type Estimator = (body: Record<string, unknown>, reach: Reach) => { workUs: number; answerBytes: number; reduce: string };

const ESTIMATORS: Record<CostedOperation, Estimator> = {
  isochrones(body, reach) {
    const points = pointsOf(body.origins);
    const origins = points.count;
    const budgetsS = minutesList(body.minutes).map((m) => m * 60);
    const maxBudgetS = Math.max(0, ...budgetsS);
    const lines = body.output === 'lines';
    const offNetworkM = positiveOr(body.offNetworkM, DEFAULTS.offNetworkM, LIMITS.maxOffNetworkM);
    // As isochrones.ts asks for it; time-surface.ts enlarges it when the grid would exceed MAX_CELLS.
    const wantedCellM = Math.min(10, offNetworkM / 2);
    let workUs = reach.edges(maxBudgetS) * WEIGHTS_US.edge + reach.segments(maxBudgetS) * WEIGHTS_US.segment;
    // Every feature carries its origin's id.
    const feature = BYTES.feature + points.meanIdBytes;
    let answerBytes = feature; // the snapped origin
    if (lines) {
      workUs += budgetsS.length * reach.segments(maxBudgetS) * WEIGHTS_US.segment;
      for (const budgetS of budgetsS) answerBytes += feature + reach.segments(budgetS) * BYTES.linePart;
    } else {
      const gridAreaM2 = reach.gridAreaM2(maxBudgetS, offNetworkM);
      const cells = Math.min(MAX_CELLS, gridAreaM2 / wantedCellM ** 2);
      const cellM = Math.max(wantedCellM, Math.sqrt(gridAreaM2 / MAX_CELLS));
      workUs += cells * (1 + budgetsS.length) * WEIGHTS_US.cell;
      for (const budgetS of budgetsS) {
        const boundaryM = 2 * Math.PI * reach.radiusM(budgetS) + PERIMETER_PER_ROAD_M * reach.lengthM(budgetS);
        answerBytes += feature + Math.min(cells, boundaryM / cellM) * BYTES.vertex;
      }
    }
    return {
      workUs: origins * workUs + origins * WEIGHTS_US.snap,
      answerBytes: origins * answerBytes,
      reduce: `send fewer origins (${origins}) or budgets (${budgetsS.length}), smaller budgets (up to ${maxBudgetS / 60} minutes)${lines ? '' : ', or ask for `output: "lines"`'}; or split the request`,
    };
  },
  'travel-times'(body, reach) {
    const origins = featuresOf(body.origins).length;
    const targets = pointsOf(body.targets);
    const budgetS = positiveOr(body.maxMinutes, 0, LIMITS.maxMinutes) * 60;
    // Targets are counted where they are: all of them, unless their extent is larger than one reach.
    const extentM2 = targets.bbox ? bboxAreaM2(targets.bbox) : 0;
    const share = extentM2 > 0 ? Math.min(1, (reach.areaM2(budgetS) * PEAK_DENSITY) / extentM2) : 1;
    const pairs = origins * Math.ceil(targets.count * share);
    return {
      workUs: origins * reach.edges(budgetS) * WEIGHTS_US.edge + (origins + targets.count) * WEIGHTS_US.snap + pairs * WEIGHTS_US.segment,
      answerBytes: origins * BYTES.origin + pairs * (BYTES.pair + targets.meanIdBytes),
      reduce: `send fewer origins (${origins}) or targets (${targets.count}), or a smaller maxMinutes (${budgetS / 60}); or split the request`,
    };
  },
  route(body, reach) {
    const origins = featuresOf(body.origins).length;
    const targets = featuresOf(body.targets).length;
    const budgetS = positiveOr(body.maxMinutes, 0, LIMITS.maxMinutes) * 60;
    // One search from all origins; the route is at most every reached segment.
    return {
      workUs: reach.edges(budgetS) * WEIGHTS_US.edge + (origins + targets) * WEIGHTS_US.snap,
      answerBytes: 3 * BYTES.feature + reach.segments(budgetS) * BYTES.vertex,
      reduce: `send a smaller maxMinutes (${budgetS / 60})`,
    };
  },
  coverage(body, reach) {
    const features = featuresOf(body.communities);
    const communities = features.length;
    const facilities = Array.isArray((body.facilities as { features?: unknown })?.features) ? featuresOf(body.facilities).length : 0;
    const standards = standardsOf(body);
    // A community is assessed by the standards of its type only (an urban one never makes the rural
    // circle's 30-minute search): each type is costed apart, and counted by the communities sent.
    // Standards that travel alike share a search (coverage.ts); each community searches once per travel.
    let workUs = 0;
    let answerBytes = 0;
    const allTravels = new Set<string>();
    for (const type of ['urban', 'rural'] as const) {
      const ofType = features.filter((f) => (communityTypeOf((f as { properties?: { type?: unknown } } | null)?.properties?.type) ?? 'urban') === type).length;
      const typed = standards.filter((s) => s.communityType === type);
      const travels = new Map<string, { mode: Mode; budgetS: number }>();
      for (const s of typed) {
        const mode = isMode(body.mode) ? body.mode : s.mode;
        const minutes = positiveOr(body.minutes, s.minutes, LIMITS.maxMinutes);
        travels.set(`${mode}|${minutes}`, { mode, budgetS: minutes * 60 });
        if (ofType > 0) allTravels.add(`${mode}|${minutes}`);
      }
      let searchUs = 0;
      for (const t of travels.values()) searchUs += reach.withSpeed(topSpeedMps({ mode: t.mode, speedKmh: body.speedKmh, ferries: body.ferries })).edges(t.budgetS) * WEIGHTS_US.edge;
      const items = typed.reduce((n, s) => n + s.items.length, 0);
      workUs += ofType * (searchUs + items * WEIGHTS_US.coverageItem);
      answerBytes += ofType * (BYTES.community + items * BYTES.coverageItem);
    }
    const allItems = standards.reduce((n, s) => n + s.items.length, 0);
    return {
      workUs: workUs + facilities * allTravels.size * WEIGHTS_US.snap,
      answerBytes: answerBytes + allItems * BYTES.coverageItem,
      reduce: `send fewer communities (${communities}) or standards (${standards.length}), or run it as a job (POST /v1/jobs)`,
    };
  },
  siting(body, reach) {
    // What-if: two coverage reports of the same body.
    if (body.add !== undefined) {
      const once = ESTIMATORS.coverage(body, reach);
      return { workUs: 2 * once.workUs, answerBytes: 2 * once.answerBytes, reduce: once.reduce };
    }
    const communities = featuresOf(body.communities).length;
    // A grid's size is known only once its extent is: counted as many sites (it goes to a worker).
    const candidates = typeof (body.candidates as { grid?: unknown } | null)?.grid === 'number' ? SITING_GRID_SITES : featuresOf(body.candidates).length;
    const minutes = positiveOr(body.minutes, 15, LIMITS.maxMinutes);
    const edges = reach.withSpeed(topSpeedMps(body)).edges(minutes * 60);
    // One search per candidate, one per category from the facilities; the choice is below the searches.
    const sites = Math.min(candidates, typeof body.k === 'number' ? body.k : candidates);
    return {
      workUs: (candidates + 4) * edges * WEIGHTS_US.edge + (communities + candidates) * WEIGHTS_US.snap,
      answerBytes: communities * BYTES.community + sites * (BYTES.feature + 10 * BYTES.pair),
      reduce: `send fewer communities (${communities}) or candidates (${candidates}), or run it as a job (POST /v1/jobs)`,
    };
  },
};

/** Counts or budgets over the documented limits (params.ts LIMITS). */
function overCountLimits(operation: CostedOperation, body: Record<string, unknown>): boolean {
  const count = (collection: unknown) => featuresOf(collection).length;
  const overMinutes = (value: unknown) => typeof value === 'number' && value > LIMITS.maxMinutes;
  switch (operation) {
    case 'isochrones':
      return count(body.origins) > LIMITS.maxIsochroneOrigins || (Array.isArray(body.minutes) && (body.minutes.length > LIMITS.maxBudgets || body.minutes.some(overMinutes)));
    case 'travel-times':
      return count(body.origins) > LIMITS.maxTravelTimeOrigins || count(body.targets) > LIMITS.maxTargets || overMinutes(body.maxMinutes);
    case 'route':
      return count(body.origins) > LIMITS.maxRouteOrigins || count(body.targets) > LIMITS.maxTargets || overMinutes(body.maxMinutes);
    case 'coverage':
    case 'siting':
      return count(body.communities) > LIMITS.maxCoverageCommunities || overMinutes(body.minutes);
  }
}

/** Reach within a time budget at one speed, on one network (see the top of this file). */
class Reach {
  private readonly areaM2Box: number;
  private readonly widthM: number;
  private readonly heightM: number;

  constructor(
    private readonly network: NetworkSize | undefined,
    private readonly speedMps: number,
  ) {
    const bbox = network?.bbox ?? null;
    this.widthM = bbox ? bboxSidesM(bbox)[0] : 0;
    this.heightM = bbox ? bboxSidesM(bbox)[1] : 0;
    this.areaM2Box = this.widthM * this.heightM;
  }

  withSpeed(speedMps: number): Reach {
    return new Reach(this.network, speedMps);
  }

  radiusM(budgetS: number): number {
    return this.speedMps * budgetS;
  }

  areaM2(budgetS: number): number {
    return Math.PI * this.radiusM(budgetS) ** 2;
  }

  edges(budgetS: number): number {
    const edges = this.network?.edges ?? 0;
    if (edges === 0 || budgetS <= 0) return 0;
    // A network without extent (one straight road) is reached whole.
    if (this.areaM2Box <= 0) return edges;
    return Math.min(edges, (edges / this.areaM2Box) * this.areaM2(budgetS) * PEAK_DENSITY);
  }

  segments(budgetS: number): number {
    const n = this.network;
    if (!n || n.edges === 0) return 0;
    return this.edges(budgetS) * (n.segments > 0 ? n.segments / n.edges : SEGMENTS_PER_EDGE);
  }

  lengthM(budgetS: number): number {
    const n = this.network;
    if (!n || n.edges === 0) return 0;
    return this.edges(budgetS) * (n.lengthM / n.edges);
  }

  /** The isochrone grid: the reach's square, within the network's extent, with the off-network margin. */
  gridAreaM2(budgetS: number, offNetworkM: number): number {
    if (!this.network || this.network.edges === 0) return 0;
    const side = 2 * this.radiusM(budgetS);
    return (Math.min(side, this.widthM) + 2 * offNetworkM) * (Math.min(side, this.heightM) + 2 * offNetworkM);
  }
}

/** The fastest a request's mode may go, m/s: its speed override, or the fastest road class. */
function topSpeedMps(body: { mode?: unknown; speedKmh?: unknown; ferries?: unknown }): number {
  const mode: Mode = isMode(body.mode) ? body.mode : DEFAULTS.mode;
  const speedKmh = typeof body.speedKmh === 'number' && body.speedKmh > 0 ? Math.min(body.speedKmh, LIMITS.maxSpeedKmh) : undefined;
  const table = speedTable(mode, { speedKmh });
  // Ferries (10 km/h, faster than walking) only when asked for.
  let kmh = Math.max(speedKmh ?? DEFAULT_SPEED_KMH[mode], ...table.byClass.filter((_, c) => c !== FERRY_CLASS || body.ferries === true));
  if (table.useMaxspeed) kmh = Math.max(kmh, CAR_TOP_KMH);
  return kmh / 3.6;
}

function standardsOf(body: Record<string, unknown>): readonly Standard[] {
  try {
    return resolveStandards(body.standards as string[] | undefined, body.standard);
  } catch {
    // A bad standard is the operation's 400 to give; count every built-in one meanwhile.
    return listStandards();
  }
}

/** The minutes of an isochrone request, as params.ts reads them (unique), invalid ones at the maximum. */
function minutesList(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  const minutes = value.slice(0, LIMITS.maxBudgets).map((m) => positiveOr(m, LIMITS.maxMinutes, LIMITS.maxMinutes));
  return [...new Set(minutes)];
}

function positiveOr(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, max) : fallback;
}

function featuresOf(collection: unknown): unknown[] {
  const features = (collection as { features?: unknown } | null | undefined)?.features;
  return Array.isArray(features) ? features : [];
}

/** Count, extent and mean id length (bytes, as UTF-8 at most) of point features. */
function pointsOf(collection: unknown): { count: number; bbox: [number, number, number, number] | null; meanIdBytes: number } {
  const features = featuresOf(collection);
  const box = new BoxBuilder();
  let idBytes = 0;
  for (const feature of features) {
    const f = feature as { id?: unknown; properties?: { id?: unknown } | null; geometry?: { coordinates?: unknown } | null } | null;
    const c = f?.geometry?.coordinates;
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') box.add(c[0], c[1]);
    const id = f?.properties?.id ?? f?.id;
    idBytes += typeof id === 'string' ? id.length * 3 : 12;
  }
  return { count: features.length, bbox: box.bbox(), meanIdBytes: features.length ? idBytes / features.length : 0 };
}

class BoxBuilder {
  private w = Infinity;
  private s = Infinity;
  private e = -Infinity;
  private n = -Infinity;

  add(lon: number, lat: number): void {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    if (lon < this.w) this.w = lon;
    if (lon > this.e) this.e = lon;
    if (lat < this.s) this.s = lat;
    if (lat > this.n) this.n = lat;
  }

  bbox(): [number, number, number, number] | null {
    return this.w <= this.e ? [this.w, this.s, this.e, this.n] : null;
  }
}

const M_PER_DEGREE = 111_320;

function bboxSidesM(bbox: readonly [number, number, number, number]): [number, number] {
  const [w, s, e, n] = bbox;
  const kx = M_PER_DEGREE * Math.cos((((s + n) / 2) * Math.PI) / 180);
  return [Math.max(0, (e - w) * kx), Math.max(0, (n - s) * M_PER_DEGREE)];
}

function bboxAreaM2(bbox: readonly [number, number, number, number]): number {
  const [width, height] = bboxSidesM(bbox);
  return width * height;
}

function approximateDistanceM(a: [number, number], b: [number, number]): number {
  const kx = M_PER_DEGREE * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * M_PER_DEGREE);
}
