/**
 * Test helpers for the isochrone steps: small networks drawn as ASCII maps or generated, laid out in
 * metres around Guangzhou (113.26 E, 23.13 N), and brute-force references to check results against.
 */
import CheapRuler from 'cheap-ruler';
import type { ReachedNetwork } from '../../src/core/isochrone/reached-network.ts';
import { ReachedNetworkBuilder } from '../../src/core/isochrone/reached-network.ts';

export const ORIGIN: [number, number] = [113.26, 23.13];
export const ruler = new CheapRuler(ORIGIN[1], 'meters');

/** Metres east/north of ORIGIN → [lon, lat]. */
export function lonLat(x: number, y: number): [number, number] {
  return [ORIGIN[0] + x / ruler.kx, ORIGIN[1] + y / ruler.ky];
}

/** [lon, lat] → metres east/north of ORIGIN. */
export function metres(p: readonly number[]): [number, number] {
  return [(p[0] - ORIGIN[0]) * ruler.kx, (p[1] - ORIGIN[1]) * ruler.ky];
}

/** A straight piece of road in metres, with linear time from A to B. */
export interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  tA: number;
  tB: number;
}

export function toReached(segments: readonly Segment[]): ReachedNetwork {
  const builder = new ReachedNetworkBuilder(4);
  for (const s of segments) {
    const a = lonLat(s.ax, s.ay);
    const b = lonLat(s.bx, s.by);
    builder.push(a[0], a[1], b[0], b[1], s.tA, s.tB);
  }
  return builder;
}

/** The part of a segment reached by maxS (as the expansion hands it over), or null. */
export function cutAt(s: Segment, maxS: number): Segment | null {
  if (Math.min(s.tA, s.tB) > maxS) return null;
  if (Math.max(s.tA, s.tB) <= maxS) return s;
  const flip = s.tB < s.tA;
  const [ex, ey, et, lx, ly, lt] = flip ? [s.bx, s.by, s.tB, s.ax, s.ay, s.tA] : [s.ax, s.ay, s.tA, s.bx, s.by, s.tB];
  const f = (maxS - et) / (lt - et);
  return { ax: ex, ay: ey, tA: et, bx: ex + (lx - ex) * f, by: ey + (ly - ey) * f, tB: maxS };
}

// ---------------------------------------------------------------------------------------------------
// ASCII maps: letters are intersections; `-` runs join letters on a row, `|` runs join letters in a
// column; anything else (spaces, `~` for water, `#` for blocks) is scenery. Column c, row r sits at
// x = c·colM, y = −r·rowM (north up).

export interface AsciiMap {
  nodes: Map<string, [number, number]>;
  edges: Array<[string, string]>;
}

export function parseAsciiMap(map: string, colM: number, rowM: number): AsciiMap {
  const rows = map.replace(/^\n/, '').split('\n'); // a template literal's first line break is layout
  const nodes = new Map<string, [number, number]>();
  const edges: Array<[string, string]> = [];
  const at = (r: number, c: number) => rows[r]?.[c] ?? ' ';
  const isNode = (ch: string) => /[A-Za-z]/.test(ch);
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < rows[r].length; c++) {
      const name = at(r, c);
      if (!isNode(name)) continue;
      if (nodes.has(name)) throw new Error(`ASCII map: node ${name} drawn twice`);
      nodes.set(name, [c * colM, -r * rowM]);
      let e = c + 1;
      while (at(r, e) === '-') e++;
      if (e > c + 1 && isNode(at(r, e))) edges.push([name, at(r, e)]);
      let d = r + 1;
      while (at(d, c) === '|') d++;
      if (d > r + 1 && isNode(at(d, c))) edges.push([name, at(d, c)]);
    }
  }
  return { nodes, edges };
}

/**
 * What the expansion would hand over for a walk from `origin` at `speedMps`: every edge reached,
 * split where the times from its two ends meet (so time is linear on each piece), cut at maxS.
 */
export function reachAsciiMap(map: AsciiMap, origin: string, speedMps: number, maxS: number): Segment[] {
  const length = ([a, b]: [string, string]) => {
    const [ax, ay] = map.nodes.get(a)!;
    const [bx, by] = map.nodes.get(b)!;
    return Math.hypot(bx - ax, by - ay);
  };
  // Dijkstra, O(n²): the maps are tiny.
  const dist = new Map<string, number>([...map.nodes.keys()].map((n) => [n, Infinity]));
  const done = new Set<string>();
  dist.set(origin, 0);
  for (;;) {
    let best: string | null = null;
    for (const [n, d] of dist) if (!done.has(n) && d < Infinity && (best === null || d < dist.get(best)!)) best = n;
    if (best === null) break;
    done.add(best);
    for (const e of map.edges) {
      const other = e[0] === best ? e[1] : e[1] === best ? e[0] : null;
      if (other !== null) dist.set(other, Math.min(dist.get(other)!, dist.get(best)! + length(e)));
    }
  }
  const segments: Segment[] = [];
  for (const e of map.edges) {
    const [ax, ay] = map.nodes.get(e[0])!;
    const [bx, by] = map.nodes.get(e[1])!;
    const da = dist.get(e[0])!;
    const db = dist.get(e[1])!;
    if (da === Infinity && db === Infinity) continue;
    const len = length(e);
    // The times from both ends meet at s* from A, where da + s* = db + len − s*.
    const meet = Math.min(len, Math.max(0, (db + len - da) / 2));
    const mx = ax + ((bx - ax) * meet) / len;
    const my = ay + ((by - ay) * meet) / len;
    const pieces: Segment[] = [];
    if (meet > 0) pieces.push({ ax, ay, bx: mx, by: my, tA: da / speedMps, tB: (da + meet) / speedMps });
    if (meet < len) pieces.push({ ax: mx, ay: my, bx, by, tA: (db + len - meet) / speedMps, tB: db / speedMps });
    for (const p of pieces) {
      const cut = cutAt(p, maxS);
      if (cut) segments.push(cut);
    }
  }
  return segments;
}

/**
 * A square grid of streets every `spacingM` from −extentM to extentM on both axes, walked from the
 * centre at `speedMps` (time = Manhattan distance / speed), cut at maxS.
 */
export function streetGrid(spacingM: number, extentM: number, speedMps: number, maxS: number): Segment[] {
  const n = Math.round(extentM / spacingM);
  const time = (x: number, y: number) => (Math.abs(x) + Math.abs(y)) / speedMps;
  const segments: Segment[] = [];
  const add = (ax: number, ay: number, bx: number, by: number) => {
    const cut = cutAt({ ax, ay, bx, by, tA: time(ax, ay), tB: time(bx, by) }, maxS);
    if (cut) segments.push(cut);
  };
  for (let i = -n; i <= n; i++) {
    for (let j = -n; j < n; j++) {
      add(i * spacingM, j * spacingM, i * spacingM, (j + 1) * spacingM); // north-south street x = i·spacing
      add(j * spacingM, i * spacingM, (j + 1) * spacingM, i * spacingM); // east-west street y = i·spacing
    }
  }
  return segments;
}

// ---------------------------------------------------------------------------------------------------
// Brute force.

/** Network points every ≤ stepM along the segments, with their times. */
export interface NetworkSamples {
  x: number[];
  y: number[];
  t: number[];
}

export function sampleNetwork(segments: readonly Segment[], stepM: number): NetworkSamples {
  const out: NetworkSamples = { x: [], y: [], t: [] };
  for (const s of segments) {
    const n = Math.max(1, Math.ceil(Math.hypot(s.bx - s.ax, s.by - s.ay) / stepM));
    for (let k = 0; k <= n; k++) {
      const f = k / n;
      out.x.push(s.ax + (s.bx - s.ax) * f);
      out.y.push(s.ay + (s.by - s.ay) * f);
      out.t.push(s.tA + (s.tB - s.tA) * f);
    }
  }
  return out;
}

/** min over samples p with |x − p| ≤ maxWalkM of t(p) + |x − p| / speed; Infinity when none. */
export function bruteArrival(samples: NetworkSamples, x: number, y: number, maxWalkM: number, speedMps: number): number {
  let best = Infinity;
  const max2 = maxWalkM * maxWalkM;
  for (let i = 0; i < samples.t.length; i++) {
    const dx = samples.x[i] - x;
    const dy = samples.y[i] - y;
    const d2 = dx * dx + dy * dy;
    if (d2 > max2) continue;
    const t = samples.t[i] + Math.sqrt(d2) / speedMps;
    if (t < best) best = t;
  }
  return best;
}

/** Seeded PRNG, so a failing random test can be replayed from its printed seed. */
export { mulberry32 as seededRandom } from '../helpers/random-network.ts';

/** Area in the test's metric frame, m²: outer rings minus holes (cheap-ruler's `area` assumes other winding). */
export function planarAreaM2(polygons: number[][][][]): number {
  let sum = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      let twice = 0;
      for (let i = 1; i < ring.length; i++) {
        const [x1, y1] = metres(ring[i - 1]);
        const [x2, y2] = metres(ring[i]);
        twice += x1 * y2 - x2 * y1;
      }
      sum += (r === 0 ? 1 : -1) * Math.abs(twice / 2);
    });
  }
  return sum;
}
