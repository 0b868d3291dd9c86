import { GrowableUint32 } from './growable.ts';
import { NodeIndex } from './node-index.ts';

/**
 * Deduplicates line vertices: by OSM node id when the source has ids, else by exact coordinate
 * (lines join where they share a vertex). An open-addressing hash over the coordinates' bits avoids
 * building a string key for each of millions of points.
 */
export class VertexTable {
  /** lon,lat per vertex. */
  coords: Float64Array;
  count = 0;

  private slots: Int32Array;
  private mask: number;
  /** OSM node id → slot; slot → vertex. A typed hash: a Map caps at 2^24 entries. */
  private readonly nodeIds = new NodeIndex();
  private readonly vertexOfSlot = new GrowableUint32();
  private readonly bits = new Float64Array(2);
  private readonly words = new Uint32Array(this.bits.buffer);

  constructor(capacity = 1 << 16) {
    this.coords = new Float64Array(capacity * 2);
    let size = 1;
    while (size < capacity * 2) size <<= 1;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** The vertex at exactly this coordinate, created if new. */
  atCoordinate(lon: number, lat: number): number {
    let slot = this.hash(lon, lat) & this.mask;
    for (;;) {
      const v = this.slots[slot];
      if (v < 0) break;
      if (this.coords[2 * v] === lon && this.coords[2 * v + 1] === lat) return v;
      slot = (slot + 1) & this.mask;
    }
    const v = this.append(lon, lat);
    this.slots[slot] = v;
    if (this.count * 2 > this.slots.length) this.rehash();
    return v;
  }

  /** The vertex of an OSM node id, created if new. */
  atNodeId(id: number, lon: number, lat: number): number {
    const slot = this.nodeIds.slotOf(id);
    if (slot >= 0) return this.vertexOfSlot.array[slot];
    const v = this.append(lon, lat);
    this.nodeIds.set(id, lon, lat);
    this.vertexOfSlot.push(v);
    return v;
  }

  private append(lon: number, lat: number): number {
    if (this.count * 2 >= this.coords.length) {
      const grown = new Float64Array(this.coords.length * 2);
      grown.set(this.coords);
      this.coords = grown;
    }
    const v = this.count++;
    this.coords[2 * v] = lon;
    this.coords[2 * v + 1] = lat;
    return v;
  }

  private hash(lon: number, lat: number): number {
    this.bits[0] = lon;
    this.bits[1] = lat;
    const w = this.words;
    let h = Math.imul(w[0] ^ w[1], 0x9e3779b1);
    h = Math.imul(h ^ w[2] ^ (h >>> 15), 0x85ebca6b);
    h = Math.imul(h ^ w[3] ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }

  /** Re-inserts what the old table held: id-keyed vertices are not in it and stay out. */
  private rehash(): void {
    const old = this.slots;
    const size = old.length * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let i = 0; i < old.length; i++) {
      const v = old[i];
      if (v < 0) continue;
      let slot = this.hash(this.coords[2 * v], this.coords[2 * v + 1]) & this.mask;
      while (this.slots[slot] >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = v;
    }
  }
}
