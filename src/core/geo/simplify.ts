import type { LocalProjection } from './local-projection.ts';

/**
 * Douglas–Peucker simplification of a polyline given as lon,lat pairs of a flat array, in a local
 * metric frame: no kept point is more than `toleranceM` from the original line. The two ends are
 * always kept, so simplified edges still meet at their junctions. Returns [lon, lat] positions.
 */
export function simplifyLine(coords: ArrayLike<number>, start: number, end: number, toleranceM: number, frame: LocalProjection): [number, number][] {
  const count = end - start;
  if (count <= 2 || toleranceM <= 0) return positions(coords, start, end);
  const keep = new Uint8Array(count);
  keep[0] = 1;
  keep[count - 1] = 1;
  const sqTolerance = toleranceM * toleranceM;
  // An explicit stack instead of recursion: a long, wiggly river bank must not overflow it.
  const stack: number[] = [0, count - 1];
  while (stack.length > 0) {
    const last = stack.pop()!;
    const first = stack.pop()!;
    let farthest = -1;
    let farthestSq = sqTolerance;
    for (let i = first + 1; i < last; i++) {
      const d = sqSegmentDistance(coords, start + i, start + first, start + last, frame);
      if (d > farthestSq) {
        farthest = i;
        farthestSq = d;
      }
    }
    if (farthest < 0) continue;
    keep[farthest] = 1;
    stack.push(first, farthest, farthest, last);
  }
  const out: [number, number][] = [];
  for (let i = 0; i < count; i++) if (keep[i]) out.push([coords[2 * (start + i)], coords[2 * (start + i) + 1]]);
  return out;
}

function positions(coords: ArrayLike<number>, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = start; p < end; p++) out.push([coords[2 * p], coords[2 * p + 1]]);
  return out;
}

/** Squared distance in metres from point p to the segment a–b (point indexes into `coords`). */
function sqSegmentDistance(coords: ArrayLike<number>, p: number, a: number, b: number, frame: LocalProjection): number {
  const ax = frame.x(coords[2 * a]);
  const ay = frame.y(coords[2 * a + 1]);
  let dx = frame.x(coords[2 * b]) - ax;
  let dy = frame.y(coords[2 * b + 1]) - ay;
  let x = ax;
  let y = ay;
  if (dx !== 0 || dy !== 0) {
    const t = ((frame.x(coords[2 * p]) - ax) * dx + (frame.y(coords[2 * p + 1]) - ay) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x += dx;
      y += dy;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  dx = frame.x(coords[2 * p]) - x;
  dy = frame.y(coords[2 * p + 1]) - y;
  return dx * dx + dy * dy;
}
