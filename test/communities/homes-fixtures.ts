/**
 * Hand-made compounds for the homes tests, laid out in metres east and north of an origin in
 * Chengdu and turned into lon/lat on a sphere (turf's radius), independently of the code's frame.
 */
import type { Position } from 'geojson';

export const ORIGIN: [number, number] = [104.06, 30.66];
const M_PER_DEG_LAT = (6371008.8 * Math.PI) / 180;

/** lon/lat of a point `x` m east and `y` m north of `ORIGIN`. */
export function at(x: number, y: number): [number, number] {
  return [ORIGIN[0] + x / (M_PER_DEG_LAT * Math.cos((ORIGIN[1] * Math.PI) / 180)), ORIGIN[1] + y / M_PER_DEG_LAT];
}

/** A closed ring: the rectangle [x, x + w] × [y, y + h] in metres, counter-clockwise. */
export function rect(x: number, y: number, w: number, h: number): Position[] {
  return [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h), at(x, y)];
}

export const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

export function feature(geometry: unknown, properties: Record<string, unknown> = {}): unknown {
  return { type: 'Feature', geometry, properties };
}

/** Metres east and north of ORIGIN for a lon/lat (the inverse of `at`). */
export function metres(lon: number, lat: number): [number, number] {
  return [(lon - ORIGIN[0]) * M_PER_DEG_LAT * Math.cos((ORIGIN[1] * Math.PI) / 180), (lat - ORIGIN[1]) * M_PER_DEG_LAT];
}
