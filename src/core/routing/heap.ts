/**
 * The binary min-heap of the searches (routing/search.ts, coverage/city-wide/bounded-search.ts), kept
 * inline in two typed arrays (ids, times) that the search owns and grows: no objects per entry, and
 * a decrease-key is a second push (the stale entry is skipped when popped).
 */

/** Inserts (id, t) into a heap of `size` entries; returns the new size. */
export function siftUp(ids: Uint32Array, times: Float64Array, size: number, id: number, t: number): number {
  let pos = size;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    const pt = times[parent];
    if (t >= pt) break;
    ids[pos] = ids[parent];
    times[pos] = pt;
    pos = parent;
  }
  ids[pos] = id;
  times[pos] = t;
  return size + 1;
}

/** Places (id, t) at the root of a heap of `size` entries and moves it down to its place. */
export function siftDown(ids: Uint32Array, times: Float64Array, size: number, id: number, t: number): void {
  let pos = 0;
  const half = size >> 1;
  while (pos < half) {
    let child = 2 * pos + 1;
    let ct = times[child];
    const right = child + 1;
    if (right < size && times[right] < ct) {
      child = right;
      ct = times[right];
    }
    if (ct >= t) break;
    ids[pos] = ids[child];
    times[pos] = ct;
    pos = child;
  }
  ids[pos] = id;
  times[pos] = t;
}

/** The heap's arrays at twice the size, entries kept (a heap fills past the node count only with stale duplicates). */
export function grownHeap(ids: Uint32Array, times: Float64Array): [Uint32Array, Float64Array] {
  const grownIds = new Uint32Array(ids.length * 2);
  grownIds.set(ids);
  const grownTimes = new Float64Array(times.length * 2);
  grownTimes.set(times);
  return [grownIds, grownTimes];
}
