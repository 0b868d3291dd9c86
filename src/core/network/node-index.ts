/**
 * Node coordinates by OSM node id, kept until the stream ends because ways may come before their
 * nodes (unsorted files) and any node may turn out to be part of a road.
 *
 * Why not `Map<number, number>`: V8 caps a Map at 2^24 (16.7 M) entries, below the node count of
 * a mid-size country, and every id above 2^31 is boxed as a heap number. Here a node costs
 * 8 (id) + 16 (lon, lat) + 8 (two 4-byte buckets) = 32 bytes, all in typed arrays. The table stores
 * `slot + 1` (0 = empty) and compares against `ids[slot]`, so ids are stored only once.
 */
export class NodeIndex {
  /** Number of distinct node ids stored. */
  count = 0;

  private ids: Float64Array;
  private lonLat: Float64Array;
  private table: Uint32Array;
  private mask: number;

  constructor(initialCapacity = 1 << 14) {
    const capacity = Math.max(16, initialCapacity);
    this.ids = new Float64Array(capacity);
    this.lonLat = new Float64Array(capacity * 2);
    this.table = new Uint32Array(tableSizeFor(capacity));
    this.mask = this.table.length - 1;
  }

  /** Stores a node's position; a repeated id keeps the last position seen, as osmium does. */
  set(id: number, lon: number, lat: number): void {
    let bucket = hashId(id) & this.mask;
    for (;;) {
      const entry = this.table[bucket];
      if (entry === 0) break;
      if (this.ids[entry - 1] === id) {
        this.lonLat[2 * (entry - 1)] = lon;
        this.lonLat[2 * (entry - 1) + 1] = lat;
        return;
      }
      bucket = (bucket + 1) & this.mask;
    }
    if (this.count === this.ids.length) this.growStorage();
    const slot = this.count++;
    this.ids[slot] = id;
    this.lonLat[2 * slot] = lon;
    this.lonLat[2 * slot + 1] = lat;
    this.table[bucket] = slot + 1;
    // Keep the load factor at or below 1/2 so that linear probes stay short.
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
  }

  /** The node's slot, or -1 when the id is not stored. */
  slotOf(id: number): number {
    let bucket = hashId(id) & this.mask;
    for (;;) {
      const entry = this.table[bucket];
      if (entry === 0) return -1;
      if (this.ids[entry - 1] === id) return entry - 1;
      bucket = (bucket + 1) & this.mask;
    }
  }

  lon(slot: number): number {
    return this.lonLat[2 * slot];
  }

  lat(slot: number): number {
    return this.lonLat[2 * slot + 1];
  }

  private growStorage(): void {
    const ids = new Float64Array(this.ids.length * 2);
    ids.set(this.ids);
    this.ids = ids;
    const lonLat = new Float64Array(this.lonLat.length * 2);
    lonLat.set(this.lonLat);
    this.lonLat = lonLat;
  }

  private rehash(size: number): void {
    const table = new Uint32Array(size);
    const mask = size - 1;
    for (let slot = 0; slot < this.count; slot++) {
      let bucket = hashId(this.ids[slot]) & mask;
      while (table[bucket] !== 0) bucket = (bucket + 1) & mask;
      table[bucket] = slot + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function tableSizeFor(capacity: number): number {
  let size = 16;
  while (size < capacity * 2) size *= 2;
  return size;
}

/**
 * Mixes both 32-bit halves of an integer id (OSM ids pass 2^32; `| 0` keeps only the low half)
 * into 32 bits whose low bits vary, since the table is indexed by a low-bit mask.
 */
function hashId(id: number): number {
  const low = id | 0;
  const high = (id / 4294967296) | 0;
  let h = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
