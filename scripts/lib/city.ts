/**
 * A seeded synthetic city near Guangzhou, for benchmarks: a road network, facilities, communities
 * and benchmark origins. Everything is derived from the seed: the same options give the same
 * features, in the same order, with the same numbers.
 *
 * The network is a jittered grid (blocks 80–160 m, denser downtown) slightly rotated, with
 * - arterial lines (primary/secondary) every 6–10 blocks, a tertiary line between them, named;
 * - local streets in stretches: mostly residential, some service, unclassified in the rural ring,
 *   some oneway stretches (alternating direction on neighbouring streets);
 * - a river band with no roads, crossed by bridges about every kilometre;
 * - footway/path shortcuts across some blocks and service/cul-de-sac spurs into others;
 * - a motorway ring (two oneway carriageways, no at-grade junctions) with interchange ramps;
 * - about 8% of the local grid edges removed, exactly as many as needed to land on the requested
 *   edge count, never leaving a junction with fewer than two edges.
 *
 * `generateCity(options)` plans the city (typed arrays only, a few tens of MB at 1M edges) and
 * returns generators for each layer, so a caller can stream them to disk or collect a small city
 * in memory.
 */
import type { Feature, LineString, Point, Polygon } from 'geojson';
import { Rng, hash01, seedFrom } from './prng.ts';
import {
  FACILITY_CATEGORIES,
  NAME_STEMS,
  RURAL_COMMUNITY_SUFFIXES,
  URBAN_COMMUNITY_SUFFIXES,
  categoryLabel,
  ordinal,
} from './city-vocab.ts';

// ---------------------------------------------------------------------------------------------
// Public types

export interface CityOptions {
  /** Road segments (LineString features) wanted; the result lands within 1% (usually exactly). */
  edges: number;
  /** Facility points. */
  pois: number;
  /** Communities (points, or small polygons for about 30%). */
  communities: number;
  /** Benchmark origin points; 1,000 by default. */
  origins?: number;
  /** Any integer or string. */
  seed: number | string;
}

export interface NetworkProperties {
  highway: string;
  name?: string;
  ref?: string;
  oneway?: 'yes';
  maxspeed?: string;
  bridge?: 'yes';
  layer?: string;
}

export interface FacilityProperties {
  id: string;
  category: string;
  name: string;
}

export interface CommunityProperties {
  id: string;
  name: string;
  type: 'urban' | 'rural';
  population: number;
  households: number;
  district: string;
  subdistrict: string;
}

export interface OriginProperties {
  id: string;
}

export interface CityStats {
  /** LineString features in the network. */
  edges: number;
  /** Distinct junctions/end points (shared coordinates); bend points inside a line are not counted. */
  vertices: number;
  gridColumns: number;
  gridRows: number;
  /** Approximate extent of the grid in metres (east–west, north–south), before rotation. */
  extentM: [number, number];
  /** Local grid edges removed to thin the grid to the requested size. */
  removedEdges: number;
  bridges: number;
  interchanges: number;
  /** Edges per highway value. */
  highways: Record<string, number>;
  /** Edges tagged oneway=yes. */
  oneway: number;
}

export interface City {
  options: { edges: number; pois: number; communities: number; origins: number; seed: number };
  stats: CityStats;
  network(): Generator<Feature<LineString, NetworkProperties>>;
  facilities(): Generator<Feature<Point, FacilityProperties>>;
  communities(): Generator<Feature<Point | Polygon, CommunityProperties>>;
  origins(): Generator<Feature<Point, OriginProperties>>;
}

/** The facility categories (the service's vocabulary), most common first. */
export const CATEGORIES: readonly string[] = FACILITY_CATEGORIES.map((c) => c.category);

export const CITY_CENTRE = { lon: 113.3, lat: 23.12 } as const;

// ---------------------------------------------------------------------------------------------
// Constants

const M_PER_DEG_LAT = 110574;
const M_PER_DEG_LON = 111320 * Math.cos((CITY_CENTRE.lat * Math.PI) / 180);

const HIGHWAY = ['', 'motorway', 'motorway_link', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'service', 'footway', 'path'] as const;
const NONE = 0;
const MOTORWAY = 1;
const MOTORWAY_LINK = 2;
const PRIMARY = 3;
const SECONDARY = 4;
const TERTIARY = 5;
const UNCLASSIFIED = 6;
const RESIDENTIAL = 7;
const SERVICE = 8;
const FOOTWAY = 9;
const PATH = 10;
/** Line class of an unnamed street line (its edges get per-stretch classes). */
const LOCAL = 0;

const ASPECT = 1.25; // columns / rows
const JITTER_M = 8;
const RURAL_RHO = 0.8; // box radius (fraction of the half extent) beyond which the land is rural
const REMOVE_FRACTION = 0.08;
const P_SPUR = 0.03; // per horizontal edge
const P_DIAG = 0.045; // per block
const P_ONEWAY_LOCAL = 0.105; // per local stretch
const P_ONEWAY_TERTIARY = 0.12;
const P_SERVICE_STRETCH = 0.08;
const P_UNCLASSIFIED_RURAL = 0.45;
const P_BEND = 0.08;
const BEND_MAX_M = 6;
const RING_SEGMENT_M = 300;
const RING_OFFSET_M = 12;

// Salts of the stateless hash streams.
const S_JX = 1;
const S_JY = 2;
const S_SPUR = 3;
const S_SPUR_POS = 4;
const S_SPUR_LEN = 5;
const S_SPUR_CLS = 6;
const S_DIAG = 7;
const S_DIAG_DIR = 8;
const S_BEND = 9;
const S_BEND_AMP = 10;
const S_BEND_N = 11;
const S_MAXSPEED = 12;

const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
const toLon = (x: number): number => round7(CITY_CENTRE.lon + x / M_PER_DEG_LON);
const toLat = (y: number): number => round7(CITY_CENTRE.lat + y / M_PER_DEG_LAT);

// ---------------------------------------------------------------------------------------------
// The plan

interface River {
  y0: number;
  a1: number;
  l1: number;
  p1: number;
  a2: number;
  l2: number;
  p2: number;
  w0: number;
  wa: number;
  wl: number;
  wp: number;
}

interface Centre {
  x: number;
  y: number;
  sigma2: number;
  amp: number;
}

interface Bridge {
  i: number;
  a: number;
  b: number;
  cls: number;
  name: string;
}

interface Link {
  g: number;
  carriageway: number;
  r: number;
  /** true: from the grid onto the ring; false: off the ring. */
  on: boolean;
}

interface Plan {
  seed: number;
  nx: number;
  ny: number;
  cos: number;
  sin: number;
  halfW: number;
  halfH: number;
  colX: Float64Array;
  rowY: Float64Array;
  /** Rotated local metres (east, north) of each grid vertex. */
  X: Float64Array;
  Y: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  land: Uint8Array;
  river: River;
  riverLo: Int32Array;
  riverHi: Int32Array;
  colClass: Uint8Array;
  rowClass: Uint8Array;
  colName: (string | undefined)[];
  rowName: (string | undefined)[];
  /** Per horizontal edge (i,j)-(i+1,j), index j*(nx-1)+i: highway code, 0 when absent. */
  hCls: Uint8Array;
  /** Per vertical edge (i,j)-(i,j+1), index j*nx+i. */
  vCls: Uint8Array;
  /** +1: oneway in the +x/+y direction, -1: the other way, 0: two-way. */
  hOw: Int8Array;
  vOw: Int8Array;
  /** Per block (i,j) (south-west corner), index j*(nx-1)+i: BLOCK_* flags. */
  block: Uint8Array;
  bridges: Bridge[];
  /** Ring carriageways: 0 outer (counter-clockwise), 1 inner (clockwise); rotated local metres and lon/lat. */
  ringX: [Float64Array, Float64Array];
  ringY: [Float64Array, Float64Array];
  ringLon: [Float64Array, Float64Array];
  ringLat: [Float64Array, Float64Array];
  links: Link[];
  ringName: string;
  centres: Centre[];
  deg: Uint8Array;
  /** Grid edges present before thinning. */
  gridEdges: number;
  /** Edges that are not grid edges (spur pieces, shortcuts, bridges, ring, ramps). */
  extraEdges: number;
  /** Local grid edges that may be removed. */
  removable: number;
  spurs: number;
  removed: number;
  nextName: (suffix: string) => string;
}

const BLOCK_SPUR = 1;
const BLOCK_DIAG = 2;
const BLOCK_DIAG_ANTI = 4;
const BLOCK_MOTORWAY = 8;
/** Offsets (m) around a motorway sample point whose blocks are marked: covers jitter and the road's width. */
const MARK_OFFSETS: ReadonlyArray<readonly [number, number]> = [
  [0, 0], [25, 0], [-25, 0], [0, 25], [0, -25],
];

/** The cell k with pos[k] <= value < pos[k+1], or -1 outside. */
function cellOf(pos: Float64Array, value: number): number {
  if (value < pos[0] || value >= pos[pos.length - 1]) return -1;
  let lo = 0;
  let hi = pos.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pos[mid] <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function riverCentre(r: River, x: number): number {
  return r.y0 + r.a1 * Math.sin((2 * Math.PI * x) / r.l1 + r.p1) + r.a2 * Math.sin((2 * Math.PI * x) / r.l2 + r.p2);
}

function riverHalfWidth(r: River, x: number): number {
  return (r.w0 + r.wa * Math.sin((2 * Math.PI * x) / r.wl + r.wp)) / 2;
}

/** Gap sizes for n lines: 80–160 m, smaller towards the middle (downtown blocks are shorter). */
function gaps(rng: Rng, n: number): Float64Array {
  const pos = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    pos[k] = acc;
    if (k === n - 1) break;
    const outward = Math.abs(k + 0.5 - (n - 1) / 2) / ((n - 1) / 2);
    const t = Math.min(1, 0.55 * rng.next() + 0.45 * outward);
    acc += 80 + 80 * t;
  }
  const mid = acc / 2;
  for (let k = 0; k < n; k++) pos[k] -= mid;
  return pos;
}

/** Arterials every 6–10 lines (40% primary), a tertiary line between most neighbouring arterials. */
function lineClasses(rng: Rng, n: number): Uint8Array {
  const cls = new Uint8Array(n);
  const arterials: number[] = [];
  for (let k = 2 + rng.int(4); k < n - 1; k += 6 + rng.int(5)) {
    arterials.push(k);
    cls[k] = rng.chance(0.4) ? PRIMARY : SECONDARY;
  }
  for (let a = 0; a + 1 < arterials.length; a++) {
    const lo = arterials[a];
    const hi = arterials[a + 1];
    if (hi - lo >= 6 && rng.chance(0.8)) cls[Math.round((lo + hi) / 2)] = TERTIARY;
  }
  return cls;
}

function makeNamer(seed: number): (suffix: string) => string {
  const perm = new Rng(seed, 'names').shuffle(NAME_STEMS.map((_, k) => k));
  let counter = 0;
  return (suffix: string): string => {
    const k = counter++;
    const stem = NAME_STEMS[perm[k % perm.length]];
    const round = Math.floor(k / perm.length);
    return round === 0 ? `${stem} ${suffix}` : `${stem} ${ordinal(round + 1)} ${suffix}`;
  };
}

const SUFFIX: Record<number, string> = { [PRIMARY]: 'Avenue', [SECONDARY]: 'Road', [TERTIARY]: 'Street' };

/** Lays out the city for a grid of nx × ny lines, before thinning. Pure function of (seed, nx, ny). */
function layout(seed: number, nx: number, ny: number): Plan {
  const rng = new Rng(seed, `layout:${nx}x${ny}`);
  const colX = gaps(rng, nx);
  const rowY = gaps(rng, ny);
  const halfW = colX[nx - 1];
  const halfH = rowY[ny - 1];
  const theta = (rng.range(-8, 8) * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);

  const river: River = {
    y0: rng.range(-0.25, 0.05) * halfH,
    a1: rng.range(0.06, 0.12) * halfH,
    l1: rng.range(1.2, 2.0) * halfW,
    p1: rng.range(0, 2 * Math.PI),
    a2: rng.range(0.01, 0.03) * halfH,
    l2: rng.range(0.35, 0.6) * halfW,
    p2: rng.range(0, 2 * Math.PI),
    w0: rng.range(200, 260),
    wa: rng.range(20, 50),
    wl: rng.range(3000, 6000),
    wp: rng.range(0, 2 * Math.PI),
  };

  // Vertices: jittered, the river band cut out, rotated, projected and rounded once (so every
  // segment that shares a vertex writes bit-identical coordinates).
  const nv = nx * ny;
  const X = new Float64Array(nv);
  const Y = new Float64Array(nv);
  const lon = new Float64Array(nv);
  const lat = new Float64Array(nv);
  const land = new Uint8Array(nv);
  const north = new Uint8Array(nv);
  const riverLo = new Int32Array(nx).fill(-1);
  const riverHi = new Int32Array(nx).fill(-1);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const v = j * nx + i;
      const ux = colX[i] + (2 * hash01(seed, S_JX, v) - 1) * JITTER_M;
      const uy = rowY[j] + (2 * hash01(seed, S_JY, v) - 1) * JITTER_M;
      const d = uy - riverCentre(river, ux);
      north[v] = d > 0 ? 1 : 0;
      if (Math.abs(d) < riverHalfWidth(river, ux)) {
        if (riverLo[i] < 0) riverLo[i] = j;
        riverHi[i] = j;
      }
      const x = cos * ux - sin * uy;
      const y = sin * ux + cos * uy;
      X[v] = x;
      Y[v] = y;
      lon[v] = toLon(x);
      lat[v] = toLat(y);
    }
  }
  for (let v = 0; v < nv; v++) land[v] = 1;
  for (let i = 0; i < nx; i++) {
    if (riverLo[i] < 0) continue;
    for (let j = riverLo[i]; j <= riverHi[i]; j++) land[j * nx + i] = 0;
  }

  // Street lines and their names.
  const colClass = lineClasses(rng, nx);
  const rowClass = lineClasses(rng, ny);
  const nextName = makeNamer(seed);
  const colName: (string | undefined)[] = new Array(nx);
  const rowName: (string | undefined)[] = new Array(ny);
  // Interleave rows and columns so names are spread over both directions.
  for (let k = 0; k < Math.max(nx, ny); k++) {
    if (k < nx && colClass[k] !== LOCAL) colName[k] = nextName(SUFFIX[colClass[k]]);
    if (k < ny && rowClass[k] !== LOCAL) rowName[k] = nextName(SUFFIX[rowClass[k]]);
  }

  // Per-edge classes and oneway flags, assigned in stretches along each line.
  const nh = (nx - 1) * ny;
  const nvert = nx * (ny - 1);
  const hCls = new Uint8Array(nh);
  const vCls = new Uint8Array(nvert);
  const hOw = new Int8Array(nh);
  const vOw = new Int8Array(nvert);
  const isRural = (ux: number, uy: number): boolean => Math.max(Math.abs(ux) / halfW, Math.abs(uy) / halfH) > RURAL_RHO;
  const assign = (
    cls: Uint8Array,
    ow: Int8Array,
    start: number,
    stride: number,
    count: number,
    lineClass: number,
    dir: number,
    ruralAt: (k: number) => boolean,
  ): void => {
    let k = 0;
    while (k < count) {
      let c: number;
      let len: number;
      let oneway = 0;
      if (lineClass !== LOCAL) {
        c = lineClass;
        len = 4 + rng.int(10);
        if (lineClass === TERTIARY && rng.chance(P_ONEWAY_TERTIARY)) oneway = dir;
      } else if (rng.chance(P_SERVICE_STRETCH)) {
        c = SERVICE;
        len = 1 + rng.int(3);
        if (rng.chance(P_ONEWAY_LOCAL)) oneway = dir;
      } else {
        len = 3 + rng.int(12);
        const rural = ruralAt(Math.min(count - 1, k + (len >> 1)));
        c = rural && rng.chance(P_UNCLASSIFIED_RURAL) ? UNCLASSIFIED : RESIDENTIAL;
        if (c === RESIDENTIAL && rng.chance(P_ONEWAY_LOCAL)) oneway = dir;
      }
      const end = Math.min(count, k + len);
      for (let m = k; m < end; m++) {
        cls[start + m * stride] = c;
        ow[start + m * stride] = oneway;
      }
      k = end;
    }
  };
  for (let j = 0; j < ny; j++) {
    assign(hCls, hOw, j * (nx - 1), 1, nx - 1, rowClass[j], j % 2 === 0 ? 1 : -1, (k) => isRural(colX[k], rowY[j]));
  }
  for (let i = 0; i < nx; i++) {
    assign(vCls, vOw, i, nx, ny - 1, colClass[i], i % 2 === 0 ? -1 : 1, (k) => isRural(colX[i], rowY[k]));
  }

  // Remove edges touching the river (or, horizontally, joining the two banks).
  let gridEdges = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const a = j * nx + i;
      const e = j * (nx - 1) + i;
      if (!land[a] || !land[a + 1] || north[a] !== north[a + 1]) hCls[e] = NONE;
      else gridEdges++;
    }
  }
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx; i++) {
      const a = j * nx + i;
      if (!land[a] || !land[a + nx]) vCls[a] = NONE;
      else gridEdges++;
    }
  }

  // Spurs (service roads / cul-de-sacs into blocks) and footway shortcuts across blocks.
  const nb = (nx - 1) * (ny - 1);
  const block = new Uint8Array(nb);
  let spurs = 0;
  let diags = 0;
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const b = j * (nx - 1) + i;
      const v00 = j * nx + i;
      if (!land[v00] || !land[v00 + 1] || !land[v00 + nx] || !land[v00 + nx + 1]) continue;
      if (hCls[b] === NONE || hCls[b + (nx - 1)] === NONE || vCls[v00] === NONE || vCls[v00 + 1] === NONE) continue;
      if (hash01(seed, S_SPUR, b) < P_SPUR) {
        block[b] = BLOCK_SPUR;
        spurs++;
      } else if (hash01(seed, S_DIAG, b) < P_DIAG) {
        block[b] = BLOCK_DIAG | (hash01(seed, S_DIAG_DIR, b) < 0.5 ? BLOCK_DIAG_ANTI : 0);
        diags++;
      }
    }
  }

  // Bridges: every arterial column, plus a tertiary bridge where arterial bridges are far apart.
  const bridges: Bridge[] = [];
  let lastBridgeX = -Infinity;
  for (let i = 0; i < nx; i++) {
    const lo = riverLo[i];
    const hi = riverHi[i];
    if (lo < 1 || hi < 0 || hi > ny - 2) continue;
    const arterial = colClass[i] === PRIMARY || colClass[i] === SECONDARY;
    const gap = colX[i] - lastBridgeX;
    if (!arterial && !(gap >= 1200 && (colClass[i] === TERTIARY || gap >= 1500))) continue;
    const cls = colClass[i] === LOCAL ? TERTIARY : colClass[i];
    const name = colName[i] ?? nextName('Bridge');
    bridges.push({ i, a: (lo - 1) * nx + i, b: (hi + 1) * nx + i, cls, name });
    lastBridgeX = colX[i];
  }

  // The motorway ring: two oneway carriageways that cross the grid without junctions.
  const ringA = 0.55 * halfW;
  const ringB = 0.55 * halfH;
  const m1 = rng.range(0, 2 * Math.PI);
  const m2 = rng.range(0, 2 * Math.PI);
  const perimeter = Math.PI * (3 * (ringA + ringB) - Math.sqrt((3 * ringA + ringB) * (ringA + 3 * ringB)));
  const nr = Math.max(24, Math.round(perimeter / RING_SEGMENT_M));
  const ringX: [Float64Array, Float64Array] = [new Float64Array(nr), new Float64Array(nr)];
  const ringY: [Float64Array, Float64Array] = [new Float64Array(nr), new Float64Array(nr)];
  const ringLon: [Float64Array, Float64Array] = [new Float64Array(nr), new Float64Array(nr)];
  const ringLat: [Float64Array, Float64Array] = [new Float64Array(nr), new Float64Array(nr)];
  const ringCx = new Float64Array(nr);
  const ringCy = new Float64Array(nr);
  for (let r = 0; r < nr; r++) {
    const t = (2 * Math.PI * r) / nr;
    const m = 1 + 0.035 * Math.sin(3 * t + m1) + 0.02 * Math.sin(5 * t + m2);
    const ux = ringA * m * Math.cos(t);
    const uy = ringB * m * Math.sin(t);
    let nxv = ringB * Math.cos(t);
    let nyv = ringA * Math.sin(t);
    const nl = Math.hypot(nxv, nyv);
    nxv /= nl;
    nyv /= nl;
    ringCx[r] = ux;
    ringCy[r] = uy;
    for (let c = 0; c < 2; c++) {
      const off = c === 0 ? RING_OFFSET_M : -RING_OFFSET_M;
      const px = ux + off * nxv;
      const py = uy + off * nyv;
      const x = cos * px - sin * py;
      const y = sin * px + cos * py;
      ringX[c][r] = x;
      ringY[c][r] = y;
      ringLon[c][r] = toLon(x);
      ringLat[c][r] = toLat(y);
    }
  }
  const ringName = nextName('Ring Expressway');

  // Interchanges about every 2.5 km, each joined to the nearest arterial junction by four ramps.
  const links: Link[] = [];
  const step = Math.max(3, Math.round(2500 / (perimeter / nr)));
  const nearestLine = (pos: Float64Array, value: number): number => {
    let lo = 0;
    let hi = pos.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pos[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && value - pos[lo - 1] < pos[lo] - value ? lo - 1 : lo;
  };
  for (let r = rng.int(step); r < nr; r += step) {
    const px = ringCx[r];
    const py = ringCy[r];
    const i0 = nearestLine(colX, px);
    const j0 = nearestLine(rowY, py);
    let best = -1;
    let bestD = 450 * 450;
    for (let d = -5; d <= 5; d++) {
      const i = i0 + d;
      if (i >= 0 && i < nx && (colClass[i] === PRIMARY || colClass[i] === SECONDARY) && land[j0 * nx + i]) {
        const dd = (colX[i] - px) ** 2 + (rowY[j0] - py) ** 2;
        if (dd < bestD) {
          bestD = dd;
          best = j0 * nx + i;
        }
      }
      const j = j0 + d;
      if (j >= 0 && j < ny && (rowClass[j] === PRIMARY || rowClass[j] === SECONDARY) && land[j * nx + i0]) {
        const dd = (colX[i0] - px) ** 2 + (rowY[j] - py) ** 2;
        if (dd < bestD) {
          bestD = dd;
          best = j * nx + i0;
        }
      }
    }
    if (best < 0) continue;
    const prev = (r - 1 + nr) % nr;
    const next = (r + 1) % nr;
    links.push({ g: best, carriageway: 0, r: prev, on: false });
    links.push({ g: best, carriageway: 0, r: next, on: true });
    links.push({ g: best, carriageway: 1, r: next, on: false });
    links.push({ g: best, carriageway: 1, r: prev, on: true });
  }

  // Blocks the motorway or its ramps pass through: no points there (they could sit on a carriageway).
  const markAlong = (x0: number, y0: number, x1: number, y1: number): void => {
    // Back to the unrotated frame, where blocks are the cells between grid lines (± jitter).
    const ax = cos * x0 + sin * y0;
    const ay = -sin * x0 + cos * y0;
    const bx = cos * x1 + sin * y1;
    const by = -sin * x1 + cos * y1;
    const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 10));
    for (let s = 0; s <= steps; s++) {
      const px = ax + ((bx - ax) * s) / steps;
      const py = ay + ((by - ay) * s) / steps;
      for (const [dx, dy] of MARK_OFFSETS) markBlock(px + dx, py + dy);
    }
  };
  const markBlock = (px: number, py: number): void => {
    const i = cellOf(colX, px);
    const j = cellOf(rowY, py);
    if (i >= 0 && j >= 0) block[j * (nx - 1) + i] |= BLOCK_MOTORWAY;
  };
  for (let c = 0; c < 2; c++) {
    for (let r = 0; r < nr; r++) {
      const s = (r + 1) % nr;
      markAlong(ringX[c][r], ringY[c][r], ringX[c][s], ringY[c][s]);
    }
  }
  for (const l of links) markAlong(X[l.g], Y[l.g], ringX[l.carriageway][l.r], ringY[l.carriageway][l.r]);

  // Density centres (downtown and sub-centres) for where facilities and people are.
  const cRng = new Rng(seed, 'centres');
  const minHalf = Math.min(halfW, halfH);
  const centres: Centre[] = [
    { x: cRng.range(-0.1, 0.1) * halfW, y: cRng.range(-0.05, 0.15) * halfH, sigma2: (0.22 * minHalf) ** 2, amp: 1 },
  ];
  for (let k = 0; k < 4; k++) {
    centres.push({
      x: cRng.range(-0.6, 0.6) * halfW,
      y: cRng.range(-0.6, 0.6) * halfH,
      sigma2: (cRng.range(0.06, 0.12) * minHalf) ** 2,
      amp: cRng.range(0.35, 0.7),
    });
  }

  // Degrees of grid vertices over everything that is not removable.
  const deg = new Uint8Array(nv);
  let removable = 0;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx - 1; i++) {
      const e = j * (nx - 1) + i;
      if (hCls[e] === NONE) continue;
      deg[j * nx + i]++;
      deg[j * nx + i + 1]++;
      if (isRemovableClass(hCls[e]) && !(j < ny - 1 && block[e] & BLOCK_SPUR)) removable++;
    }
  }
  for (let e = 0; e < nvert; e++) {
    if (vCls[e] === NONE) continue;
    deg[e]++;
    deg[e + nx]++;
    if (isRemovableClass(vCls[e])) removable++;
  }
  for (let b = 0; b < nb; b++) {
    if (!(block[b] & BLOCK_DIAG)) continue;
    const [a, c] = diagonalEnds(nx, b, block[b]);
    deg[a]++;
    deg[c]++;
  }
  for (const br of bridges) {
    deg[br.a]++;
    deg[br.b]++;
  }
  for (const l of links) deg[l.g]++;

  const extraEdges = 2 * spurs + diags + bridges.length + 2 * nr + links.length;
  return {
    seed, nx, ny, cos, sin, halfW, halfH, colX, rowY, X, Y, lon, lat, land, river, riverLo, riverHi,
    colClass, rowClass, colName, rowName, hCls, vCls, hOw, vOw, block, bridges,
    ringX, ringY, ringLon, ringLat, links, ringName, centres, deg,
    gridEdges, extraEdges, removable, spurs, removed: 0, nextName,
  };
}

function isRemovableClass(c: number): boolean {
  return c === RESIDENTIAL || c === UNCLASSIFIED || c === SERVICE;
}

/** The two grid vertices a block's shortcut joins. */
function diagonalEnds(nx: number, b: number, flags: number): [number, number] {
  const i = b % (nx - 1);
  const j = (b - i) / (nx - 1);
  const v00 = j * nx + i;
  return flags & BLOCK_DIAG_ANTI ? [v00 + 1, v00 + nx] : [v00, v00 + nx + 1];
}

/** Removes `count` local grid edges at random, never taking a junction below two edges. */
function thin(plan: Plan, count: number): void {
  const { nx, ny, hCls, vCls, block, deg } = plan;
  const nh = (nx - 1) * ny;
  const cand = new Int32Array(plan.removable);
  let n = 0;
  for (let e = 0; e < nh; e++) {
    if (!isRemovableClass(hCls[e])) continue;
    const j = Math.floor(e / (nx - 1));
    if (j < ny - 1 && block[e] & BLOCK_SPUR) continue;
    cand[n++] = e;
  }
  for (let e = 0; e < vCls.length; e++) if (isRemovableClass(vCls[e])) cand[n++] = nh + e;
  new Rng(plan.seed, 'thin').shuffle(cand);
  let removed = 0;
  for (let k = 0; k < n && removed < count; k++) {
    const id = cand[k];
    let a: number;
    let b: number;
    if (id < nh) {
      const i = id % (nx - 1);
      const j = (id - i) / (nx - 1);
      a = j * nx + i;
      b = a + 1;
    } else {
      a = id - nh;
      b = a + nx;
    }
    if (deg[a] < 3 || deg[b] < 3) continue;
    deg[a]--;
    deg[b]--;
    if (id < nh) hCls[id] = NONE;
    else vCls[id - nh] = NONE;
    removed++;
  }
  plan.removed = removed;
}

/** Picks the grid size whose thinning comes closest to 8%, then thins to the exact edge count. */
function planCity(seed: number, edges: number): Plan {
  let g = edges / 1.95;
  let best: Plan | undefined;
  let bestErr = Infinity;
  const tried = new Set<string>();
  for (let iter = 0; iter < 8; iter++) {
    const ny = Math.max(10, Math.round(Math.sqrt(g / ASPECT)));
    const nx = Math.max(12, Math.round(g / ny));
    const key = `${nx}x${ny}`;
    if (tried.has(key)) break;
    tried.add(key);
    const plan = layout(seed, nx, ny);
    const remove = plan.gridEdges + plan.extraEdges - edges;
    const err = Math.abs(remove / plan.gridEdges - REMOVE_FRACTION);
    if (err < bestErr && remove >= 0 && remove <= plan.removable) {
      best = plan;
      bestErr = err;
    }
    if (err < 0.005 && remove >= 0) break;
    g *= edges / ((1 - REMOVE_FRACTION) * plan.gridEdges + plan.extraEdges);
  }
  if (!best) throw new Error(`cannot lay out a city of ${edges} edges`);
  thin(best, best.gridEdges + best.extraEdges - edges);
  return best;
}

// ---------------------------------------------------------------------------------------------
// Network features

type Coords = number[][];

function lineFeature(props: NetworkProperties, coordinates: Coords): Feature<LineString, NetworkProperties> {
  return { type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates } };
}

function roadProps(plan: Plan, cls: number, key: number, name: string | undefined, oneway: boolean): NetworkProperties {
  const p: NetworkProperties = { highway: HIGHWAY[cls] };
  if (name !== undefined) p.name = name;
  if (oneway) p.oneway = 'yes';
  const h = hash01(plan.seed, S_MAXSPEED, key);
  if (cls === PRIMARY && h < 0.3) p.maxspeed = '60';
  else if (cls === SECONDARY && h < 0.25) p.maxspeed = '50';
  else if (cls === TERTIARY && h < 0.12) p.maxspeed = '40';
  else if (cls === RESIDENTIAL && h < 0.03) p.maxspeed = '30';
  return p;
}

/**
 * Coordinates from A to B (local metres x/y, rounded lon/lat given for the ends), with one or two
 * bend points for some keys. The ends are copied as given, so shared vertices stay bit-identical.
 */
function shape(
  plan: Plan,
  key: number,
  bendProb: number,
  maxAmp: number,
  ax: number,
  ay: number,
  aLon: number,
  aLat: number,
  bx: number,
  by: number,
  bLon: number,
  bLat: number,
): Coords {
  const coords: Coords = [[aLon, aLat]];
  if (bendProb > 0 && hash01(plan.seed, S_BEND, key) < bendProb) {
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    const amp = (2 * hash01(plan.seed, S_BEND_AMP, key) - 1) * maxAmp;
    const px = (-dy / len) * amp;
    const py = (dx / len) * amp;
    if (hash01(plan.seed, S_BEND_N, key) < 0.6) {
      coords.push([toLon(ax + dx / 2 + px), toLat(ay + dy / 2 + py)]);
    } else {
      coords.push([toLon(ax + dx / 3 + px), toLat(ay + dy / 3 + py)]);
      coords.push([toLon(ax + (2 * dx) / 3 + 0.6 * px), toLat(ay + (2 * dy) / 3 + 0.6 * py)]);
    }
  }
  coords.push([bLon, bLat]);
  return coords;
}

/** Chance that a grid edge of this class has a slight bend (1–2 extra points). */
function bendFor(cls: number): number {
  return cls === PRIMARY || cls === SECONDARY ? 0.02 : P_BEND;
}

/** Whether the grid edge `key` (h edges 0..nh-1, v edges nh + e) is drawn with a bend. */
function isBent(plan: Plan, key: number, cls: number): boolean {
  return hash01(plan.seed, S_BEND, key) < bendFor(cls);
}

function* networkFeatures(plan: Plan): Generator<Feature<LineString, NetworkProperties>> {
  const { nx, ny, X, Y, lon, lat, hCls, vCls, hOw, vOw, block, seed } = plan;
  const nh = (nx - 1) * ny;
  const nvert = nx * (ny - 1);
  const gridEdge = (a: number, b: number, cls: number, ow: number, key: number, name: string | undefined) => {
    const coords = shape(plan, key, bendFor(cls), BEND_MAX_M, X[a], Y[a], lon[a], lat[a], X[b], Y[b], lon[b], lat[b]);
    if (ow < 0) coords.reverse();
    return lineFeature(roadProps(plan, cls, key, name, ow !== 0), coords);
  };

  for (let j = 0; j < ny; j++) {
    // Horizontal edges of row j (some split by a spur's junction).
    for (let i = 0; i < nx - 1; i++) {
      const e = j * (nx - 1) + i;
      const cls = hCls[e];
      if (cls === NONE) continue;
      const a = j * nx + i;
      const b = a + 1;
      const name = plan.rowName[j];
      if (j < ny - 1 && block[e] & BLOCK_SPUR) {
        const t = 0.35 + 0.3 * hash01(seed, S_SPUR_POS, e);
        const mx = X[a] + t * (X[b] - X[a]);
        const my = Y[a] + t * (Y[b] - Y[a]);
        const mLon = toLon(mx);
        const mLat = toLat(my);
        const c = a + nx;
        const d = b + nx;
        const nxp = X[c] + t * (X[d] - X[c]);
        const nyp = Y[c] + t * (Y[d] - Y[c]);
        const f = 0.3 + 0.15 * hash01(seed, S_SPUR_LEN, e);
        const ex = mx + f * (nxp - mx);
        const ey = my + f * (nyp - my);
        const ow = hOw[e];
        const p1 = [[lon[a], lat[a]], [mLon, mLat]];
        const p2 = [[mLon, mLat], [lon[b], lat[b]]];
        if (ow < 0) {
          yield lineFeature(roadProps(plan, cls, e, name, true), p2.reverse());
          yield lineFeature(roadProps(plan, cls, e, name, true), p1.reverse());
        } else {
          yield lineFeature(roadProps(plan, cls, e, name, ow > 0), p1);
          yield lineFeature(roadProps(plan, cls, e, name, ow > 0), p2);
        }
        const spurCls = hash01(seed, S_SPUR_CLS, e) < 0.7 ? SERVICE : RESIDENTIAL;
        yield lineFeature(roadProps(plan, spurCls, nh + nvert + e, undefined, false), [[mLon, mLat], [toLon(ex), toLat(ey)]]);
      } else {
        yield gridEdge(a, b, cls, hOw[e], e, name);
      }
    }
    if (j === ny - 1) continue;
    // Vertical edges from row j to row j+1.
    for (let i = 0; i < nx; i++) {
      const e = j * nx + i;
      const cls = vCls[e];
      if (cls === NONE) continue;
      let name = plan.colName[i];
      if (name !== undefined && plan.riverLo[i] >= 0) name += j < plan.riverLo[i] ? ' South' : ' North';
      yield gridEdge(e, e + nx, cls, vOw[e], nh + e, name);
    }
    // Footway/path shortcuts across blocks of row j.
    for (let i = 0; i < nx - 1; i++) {
      const b = j * (nx - 1) + i;
      if (!(block[b] & BLOCK_DIAG)) continue;
      const [p, q] = diagonalEnds(nx, b, block[b]);
      const rural = isRuralAt(plan, (plan.colX[i] + plan.colX[i + 1]) / 2, (plan.rowY[j] + plan.rowY[j + 1]) / 2);
      const key = 2 * (nh + nvert) + b;
      const coords = shape(plan, key, 0.6, 12, X[p], Y[p], lon[p], lat[p], X[q], Y[q], lon[q], lat[q]);
      yield lineFeature({ highway: HIGHWAY[rural ? PATH : FOOTWAY] }, coords);
    }
  }

  for (const br of plan.bridges) {
    const p = roadProps(plan, br.cls, br.a, br.name, false);
    p.bridge = 'yes';
    p.layer = '1';
    yield lineFeature(p, [[lon[br.a], lat[br.a]], [lon[br.b], lat[br.b]]]);
  }

  const nr = plan.ringX[0].length;
  for (let c = 0; c < 2; c++) {
    const rl = plan.ringLon[c];
    const rb = plan.ringLat[c];
    for (let r = 0; r < nr; r++) {
      const s = (r + 1) % nr;
      const coords = c === 0 ? [[rl[r], rb[r]], [rl[s], rb[s]]] : [[rl[s], rb[s]], [rl[r], rb[r]]];
      yield lineFeature({ highway: 'motorway', name: plan.ringName, ref: 'S15', oneway: 'yes', maxspeed: '100' }, coords);
    }
  }
  for (const l of plan.links) {
    const g = [lon[l.g], lat[l.g]];
    const ring = [plan.ringLon[l.carriageway][l.r], plan.ringLat[l.carriageway][l.r]];
    yield lineFeature({ highway: 'motorway_link', oneway: 'yes', maxspeed: '40' }, l.on ? [g, ring] : [ring, g]);
  }
}

function isRuralAt(plan: Plan, ux: number, uy: number): boolean {
  return Math.max(Math.abs(ux) / plan.halfW, Math.abs(uy) / plan.halfH) > RURAL_RHO;
}

function countNetwork(plan: Plan): { highways: Record<string, number>; oneway: number; vertices: number } {
  const highways: Record<string, number> = {};
  let oneway = 0;
  const add = (cls: number, n = 1): void => {
    highways[HIGHWAY[cls]] = (highways[HIGHWAY[cls]] ?? 0) + n;
  };
  const { nx, ny, hCls, vCls, hOw, vOw, block, seed } = plan;
  for (let e = 0; e < hCls.length; e++) {
    if (hCls[e] === NONE) continue;
    const j = Math.floor(e / (nx - 1));
    const pieces = j < ny - 1 && block[e] & BLOCK_SPUR ? 2 : 1;
    add(hCls[e], pieces);
    if (hOw[e] !== 0) oneway += pieces;
    if (pieces === 2) add(hash01(seed, S_SPUR_CLS, e) < 0.7 ? SERVICE : RESIDENTIAL);
  }
  for (let e = 0; e < vCls.length; e++) {
    if (vCls[e] === NONE) continue;
    add(vCls[e]);
    if (vOw[e] !== 0) oneway++;
  }
  for (let b = 0; b < block.length; b++) {
    if (!(block[b] & BLOCK_DIAG)) continue;
    const i = b % (nx - 1);
    const j = (b - i) / (nx - 1);
    add(isRuralAt(plan, (plan.colX[i] + plan.colX[i + 1]) / 2, (plan.rowY[j] + plan.rowY[j + 1]) / 2) ? PATH : FOOTWAY);
  }
  for (const br of plan.bridges) add(br.cls);
  const nr = plan.ringX[0].length;
  add(MOTORWAY, 2 * nr);
  add(MOTORWAY_LINK, plan.links.length);
  oneway += 2 * nr + plan.links.length;
  let vertices = 2 * plan.spurs + 2 * nr;
  for (let v = 0; v < plan.deg.length; v++) if (plan.deg[v] > 0) vertices++;
  return { highways, oneway, vertices };
}

// ---------------------------------------------------------------------------------------------
// Points near roads

const CLASS_WEIGHT_POI: Record<number, number> = {
  [PRIMARY]: 5, [SECONDARY]: 4, [TERTIARY]: 2.5, [RESIDENTIAL]: 1, [UNCLASSIFIED]: 0.7, [SERVICE]: 0.6,
};
const CLASS_WEIGHT_HOME: Record<number, number> = {
  [PRIMARY]: 1, [SECONDARY]: 1.2, [TERTIARY]: 1.5, [RESIDENTIAL]: 2, [UNCLASSIFIED]: 2, [SERVICE]: 1.5,
};
const CLASS_WEIGHT_ANY: Record<number, number> = {
  [PRIMARY]: 1, [SECONDARY]: 1, [TERTIARY]: 1, [RESIDENTIAL]: 1, [UNCLASSIFIED]: 1, [SERVICE]: 1,
};

interface Spot {
  /** Block (south-west corner vertex) and the side of the block the spot faces: 0 S, 1 N, 2 W, 3 E. */
  v00: number;
  side: number;
  /** Block depth across the chosen side, metres. */
  across: number;
  /** Unrotated local metres of the block centre. */
  ux: number;
  uy: number;
  /** Metres from the side's chord that are surely clear of it (more when the side is drawn bent). */
  clear: number;
}

function density(plan: Plan, ux: number, uy: number): number {
  let d = 0.1;
  for (const c of plan.centres) d += c.amp * Math.exp(-((ux - c.x) ** 2 + (uy - c.y) ** 2) / (2 * c.sigma2));
  return Math.min(1, d);
}

/**
 * Rejection-samples a block side: blocks weighted by `blockWeight` (0..1), sides by their road class.
 * Only whole blocks without spurs or shortcuts, away from the ring, are used, so a point placed a few
 * metres inside the side is near that road and on no other.
 */
function sampleSpot(
  plan: Plan,
  rng: Rng,
  classWeight: Record<number, number>,
  blockWeight: (ux: number, uy: number) => number,
): Spot {
  const { nx, ny, hCls, vCls, block, land, X, Y } = plan;
  let maxW = 0;
  for (const w of Object.values(classWeight)) maxW = Math.max(maxW, w);
  const weights = [0, 0, 0, 0];
  for (let attempt = 0; attempt < 50_000_000; attempt++) {
    const i = rng.int(nx - 1);
    const j = rng.int(ny - 1);
    const b = j * (nx - 1) + i;
    const v00 = j * nx + i;
    if (block[b] !== 0 || !land[v00] || !land[v00 + 1] || !land[v00 + nx] || !land[v00 + nx + 1]) continue;
    const ux = (plan.colX[i] + plan.colX[i + 1]) / 2;
    const uy = (plan.rowY[j] + plan.rowY[j + 1]) / 2;
    weights[0] = classWeight[hCls[b]] ?? 0;
    weights[1] = classWeight[hCls[b + nx - 1]] ?? 0;
    weights[2] = classWeight[vCls[v00]] ?? 0;
    weights[3] = classWeight[vCls[v00 + 1]] ?? 0;
    const sum = weights[0] + weights[1] + weights[2] + weights[3];
    if (sum === 0) continue;
    const accept = blockWeight(ux, uy) * (sum / (4 * maxW));
    if (rng.next() >= accept) continue;
    let pick = rng.next() * sum;
    let side = 0;
    while (side < 3 && pick >= weights[side]) pick -= weights[side++];
    if (weights[side] === 0) side = weights.findIndex((w) => w > 0);
    const v10 = v00 + 1;
    const v01 = v00 + nx;
    const v11 = v01 + 1;
    const depth = Math.hypot((X[v01] + X[v11] - X[v00] - X[v10]) / 2, (Y[v01] + Y[v11] - Y[v00] - Y[v10]) / 2);
    const width = Math.hypot((X[v10] + X[v11] - X[v00] - X[v01]) / 2, (Y[v10] + Y[v11] - Y[v00] - Y[v01]) / 2);
    const across = side < 2 ? depth : width;
    const nh = (nx - 1) * ny;
    const key = side === 0 ? b : side === 1 ? b + nx - 1 : side === 2 ? nh + v00 : nh + v00 + 1;
    const cls = side === 0 ? hCls[b] : side === 1 ? hCls[b + nx - 1] : side === 2 ? vCls[v00] : vCls[v00 + 1];
    const clear = isBent(plan, key, cls) ? BEND_MAX_M + 7 : 5;
    return { v00, side, across, ux, uy, clear };
  }
  throw new Error('no block found for a point: the city is too small');
}

/** Local metres of the point at block coordinates (a along the side, 0..1; d metres inside it). */
function spotPoint(plan: Plan, s: Spot, a: number, d: number): [number, number] {
  const t = Math.min(0.45, d / s.across);
  let u: number;
  let v: number;
  switch (s.side) {
    case 0:
      [u, v] = [a, t];
      break;
    case 1:
      [u, v] = [a, 1 - t];
      break;
    case 2:
      [u, v] = [t, a];
      break;
    default:
      [u, v] = [1 - t, a];
  }
  return bilinear(plan, s.v00, u, v);
}

function bilinear(plan: Plan, v00: number, u: number, v: number): [number, number] {
  const { X, Y, nx } = plan;
  const v10 = v00 + 1;
  const v01 = v00 + nx;
  const v11 = v01 + 1;
  const w00 = (1 - u) * (1 - v);
  const w10 = u * (1 - v);
  const w01 = (1 - u) * v;
  const w11 = u * v;
  return [
    w00 * X[v00] + w10 * X[v10] + w01 * X[v01] + w11 * X[v11],
    w00 * Y[v00] + w10 * Y[v10] + w01 * Y[v01] + w11 * Y[v11],
  ];
}

function pointFeature<P>(props: P, x: number, y: number): Feature<Point, P> {
  return { type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: [toLon(x), toLat(y)] } };
}

function* facilityFeatures(plan: Plan, count: number): Generator<Feature<Point, FacilityProperties>> {
  const rng = new Rng(plan.seed, 'facilities');
  const cumulative: number[] = [];
  let acc = 0;
  for (const c of FACILITY_CATEGORIES) cumulative.push((acc += c.weight));
  const seen = new Map<string, number>();
  const weight = (ux: number, uy: number): number => density(plan, ux, uy);
  for (let n = 1; n <= count; n++) {
    const spot = sampleSpot(plan, rng, CLASS_WEIGHT_POI, weight);
    const a = rng.range(0.12, 0.88);
    const d = spot.clear + (40 - spot.clear) * rng.next() ** 1.5;
    const [x, y] = spotPoint(plan, spot, a, d);
    const category = FACILITY_CATEGORIES[rng.weighted(cumulative)].category;
    const base = `${rng.pick(NAME_STEMS)} ${categoryLabel(category)}`;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    yield pointFeature({ id: `f${n}`, category, name: k === 1 ? base : `${base} No.${k}` }, x, y);
  }
}

function* communityFeatures(plan: Plan, count: number): Generator<Feature<Point | Polygon, CommunityProperties>> {
  const rng = new Rng(plan.seed, 'communities');
  const subdistricts = subdistrictNamer(plan.seed);
  const seen = new Map<string, number>();
  const urbanWeight = (ux: number, uy: number): number => (isRuralAt(plan, ux, uy) ? 0 : density(plan, ux, uy) ** 0.6);
  const ruralWeight = (ux: number, uy: number): number => (isRuralAt(plan, ux, uy) ? 1 : 0);
  for (let n = 1; n <= count; n++) {
    const rural = rng.chance(0.15);
    const spot = sampleSpot(plan, rng, CLASS_WEIGHT_HOME, rural ? ruralWeight : urbanWeight);
    const polygon = rng.chance(0.3);
    let geometry: Point | Polygon;
    let cx: number;
    let cy: number;
    if (polygon) {
      // A compound: a quadrilateral set back 6–12 m from the road, reaching at most 60 m in.
      const inset = Math.max(rng.range(6, 12), spot.clear);
      const ext = Math.min(60, spot.across * rng.range(0.25, 0.4));
      const half = rng.range(0.12, 0.25);
      const a = rng.range(0.15 + half, 0.85 - half);
      const t0 = inset / spot.across;
      const t1 = (inset + ext) / spot.across;
      let u0: number, u1: number, v0: number, v1: number;
      switch (spot.side) {
        case 0:
          [u0, u1, v0, v1] = [a - half, a + half, t0, t1];
          break;
        case 1:
          [u0, u1, v0, v1] = [a - half, a + half, 1 - t1, 1 - t0];
          break;
        case 2:
          [u0, u1, v0, v1] = [t0, t1, a - half, a + half];
          break;
        default:
          [u0, u1, v0, v1] = [1 - t1, 1 - t0, a - half, a + half];
      }
      const corners = [bilinear(plan, spot.v00, u0, v0), bilinear(plan, spot.v00, u1, v0), bilinear(plan, spot.v00, u1, v1), bilinear(plan, spot.v00, u0, v1)];
      const ring = corners.map(([x, y]) => [toLon(x), toLat(y)]);
      ring.push([ring[0][0], ring[0][1]]);
      geometry = { type: 'Polygon', coordinates: [ring] };
      cx = (corners[0][0] + corners[1][0] + corners[2][0] + corners[3][0]) / 4;
      cy = (corners[0][1] + corners[1][1] + corners[2][1] + corners[3][1]) / 4;
    } else {
      [cx, cy] = spotPoint(plan, spot, rng.range(0.15, 0.85), rng.range(Math.max(8, spot.clear), 40));
      geometry = { type: 'Point', coordinates: [toLon(cx), toLat(cy)] };
    }
    const population = rural
      ? Math.round(Math.min(6000, Math.max(200, Math.exp(Math.log(1500) + 0.5 * rng.normal()))))
      : Math.round(Math.min(30000, Math.max(800, Math.exp(Math.log(5000) + 0.55 * rng.normal()))));
    const households = Math.max(1, Math.round(population / (rural ? rng.range(3.0, 3.8) : rng.range(2.5, 3.1))));
    const suffix = rng.pick(rural ? RURAL_COMMUNITY_SUFFIXES : URBAN_COMMUNITY_SUFFIXES);
    const base = `${rng.pick(NAME_STEMS)} ${suffix}`;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    const { district, subdistrict } = subdistricts(plan, cx, cy);
    yield {
      type: 'Feature',
      properties: {
        id: `c${n}`,
        name: k === 1 ? base : `${base} ${k}`,
        type: rural ? 'rural' : 'urban',
        population,
        households,
        district,
        subdistrict,
      },
      geometry,
    };
  }
}

/** District D1..D8 by compass sector around the centre; ten subdistricts each (ring band × half-sector). */
function subdistrictNamer(seed: number): (plan: Plan, x: number, y: number) => { district: string; subdistrict: string } {
  const perm = new Rng(seed, 'subdistricts').shuffle(NAME_STEMS.map((_, k) => k));
  return (plan, x, y) => {
    const angle = (Math.atan2(y, x) + 2 * Math.PI) % (2 * Math.PI);
    const sector = Math.min(7, Math.floor(angle / (Math.PI / 4)));
    const halfSector = Math.min(1, Math.floor((angle - (sector * Math.PI) / 4) / (Math.PI / 8)));
    const band = Math.min(4, Math.floor(Math.hypot(x / plan.halfW, y / plan.halfH) * 4));
    const k = sector * 10 + band * 2 + halfSector;
    const stem = NAME_STEMS[perm[k % perm.length]];
    const round = Math.floor(k / perm.length);
    return {
      district: `D${sector + 1}`,
      subdistrict: round === 0 ? `${stem} Subdistrict` : `${stem} ${ordinal(round + 1)} Subdistrict`,
    };
  };
}

function* originFeatures(plan: Plan, count: number): Generator<Feature<Point, OriginProperties>> {
  const rng = new Rng(plan.seed, 'origins');
  const weight = (ux: number, uy: number): number => Math.sqrt(density(plan, ux, uy));
  for (let n = 1; n <= count; n++) {
    const spot = sampleSpot(plan, rng, CLASS_WEIGHT_ANY, weight);
    const [x, y] = spotPoint(plan, spot, rng.range(0.12, 0.88), rng.range(spot.clear, 30));
    yield pointFeature({ id: `o${n}` }, x, y);
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function generateCity(options: CityOptions): City {
  const edges = Math.round(options.edges);
  if (!Number.isFinite(edges) || edges < 2000) throw new RangeError(`edges: got ${options.edges}, expected an integer ≥ 2000`);
  for (const key of ['pois', 'communities', 'origins'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new RangeError(`${key}: got ${v}, expected an integer ≥ 0`);
  }
  const seed = seedFrom(options.seed);
  const opts = { edges, pois: options.pois, communities: options.communities, origins: options.origins ?? 1000, seed };
  const plan = planCity(seed, edges);
  const counted = countNetwork(plan);
  const stats: CityStats = {
    edges: plan.gridEdges - plan.removed + plan.extraEdges,
    vertices: counted.vertices,
    gridColumns: plan.nx,
    gridRows: plan.ny,
    extentM: [Math.round(2 * plan.halfW), Math.round(2 * plan.halfH)],
    removedEdges: plan.removed,
    bridges: plan.bridges.length,
    interchanges: plan.links.length / 4,
    highways: counted.highways,
    oneway: counted.oneway,
  };
  return {
    options: opts,
    stats,
    network: () => networkFeatures(plan),
    facilities: () => facilityFeatures(plan, opts.pois),
    communities: () => communityFeatures(plan, opts.communities),
    origins: () => originFeatures(plan, opts.origins),
  };
}
