/**
 * Ids sorted along a Hilbert curve over their points' bounding box: points near each other come near
 * each other in the order. `coords` holds [lon, lat] of id i at 2i, 2i+1. The graph numbers its nodes
 * so (compile.ts); placing many points on the network in this order keeps the index's pages it reads
 * in the cache (facility-index.ts).
 */
export function hilbertOrder(ids: ArrayLike<number>, coords: Float64Array): Uint32Array {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    minX = Math.min(minX, coords[2 * v]);
    maxX = Math.max(maxX, coords[2 * v]);
    minY = Math.min(minY, coords[2 * v + 1]);
    maxY = Math.max(maxY, coords[2 * v + 1]);
  }
  const side = (1 << 13) - 1;
  const sx = side / (maxX - minX || 1);
  const sy = side / (maxY - minY || 1);
  // Key = hilbert(26 bits) · 2^27 + position (exact in a double): one numeric sort, no comparator.
  const keys = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    const h = hilbert(Math.floor((coords[2 * v] - minX) * sx), Math.floor((coords[2 * v + 1] - minY) * sy), side + 1);
    keys[i] = h * 134217728 + i;
  }
  keys.sort();
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < keys.length; i++) order[i] = ids[keys[i] % 134217728];
  return order;
}

/** Position of (x, y) along the Hilbert curve filling an n×n grid (n a power of two). */
function hilbert(x: number, y: number, n: number): number {
  let d = 0;
  for (let s = n >> 1; s > 0; s >>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}
