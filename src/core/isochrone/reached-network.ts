/**
 * The hand-off from expansion (routing) to contouring: every piece of road reached by a search,
 * as straight segments along which the travel time varies linearly from one end to the other.
 * An edge reached from both ends is split by the expansion at the point where the two times meet,
 * so the linear model is exact on every piece.
 */
export interface ReachedNetwork {
  /** Number of segments. */
  count: number;
  /** 4 numbers per segment: lonA, latA, lonB, latB (WGS84 degrees). */
  coords: Float64Array;
  /** 2 numbers per segment: seconds at A, seconds at B (including the origin's access leg). */
  times: Float64Array;
}

/** A growable builder for ReachedNetwork; reused between queries so expansion allocates nothing after warm-up. */
export class ReachedNetworkBuilder implements ReachedNetwork {
  count = 0;
  coords: Float64Array;
  times: Float64Array;

  constructor(capacity = 1024) {
    this.coords = new Float64Array(capacity * 4);
    this.times = new Float64Array(capacity * 2);
  }

  clear(): void {
    this.count = 0;
  }

  push(lonA: number, latA: number, lonB: number, latB: number, tA: number, tB: number): void {
    if (this.count * 4 >= this.coords.length) this.grow();
    const i = this.count++;
    const c = this.coords;
    c[4 * i] = lonA;
    c[4 * i + 1] = latA;
    c[4 * i + 2] = lonB;
    c[4 * i + 3] = latB;
    this.times[2 * i] = tA;
    this.times[2 * i + 1] = tB;
  }

  private grow(): void {
    const coords = new Float64Array(this.coords.length * 2);
    coords.set(this.coords);
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.coords = coords;
    this.times = times;
  }
}
