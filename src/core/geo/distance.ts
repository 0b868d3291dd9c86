/**
 * Great-circle distance, the same formula and earth radius as turf's `distance`, so that edge lengths
 * agree with what planners measure in turf-based tools (tested against turf).
 */

/** Mean earth radius in metres, as in turf's `earthRadius`. */
export const EARTH_RADIUS_M = 6371008.8;

const RAD = Math.PI / 180;

/** Haversine distance in metres between two lon/lat points. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD);
  return 2 * EARTH_RADIUS_M * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** Great-circle length of a polyline given as flat lon,lat pairs, from pair `start` to pair `end` (inclusive). */
export function polylineLengthM(coords: ArrayLike<number>, start = 0, end = coords.length / 2 - 1): number {
  let length = 0;
  for (let i = start; i < end; i++) {
    length += haversineM(coords[2 * i], coords[2 * i + 1], coords[2 * i + 2], coords[2 * i + 3]);
  }
  return length;
}
