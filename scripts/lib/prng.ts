/**
 * Seeded, platform-independent randomness for the synthetic-data scripts. Nothing here touches
 * Math.random: the same seed gives the same numbers on every run and every machine.
 *
 * Two flavours:
 * - `Rng` (sfc32): a sequential stream, for sampling loops whose order is fixed.
 * - `hash01` / `hashU32`: stateless values from (seed, salt, index), for per-element properties that
 *   must not depend on the order in which elements are visited.
 */

/** Murmur3's 32-bit finaliser: a good avalanche for mixing small integers. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then mixed). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Turns a CLI seed (an integer or any string) into a 32-bit unsigned seed. */
export function seedFrom(value: number | string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value >>> 0;
  return hashString(String(value));
}

/** A stateless 32-bit value for element `index` of the sub-stream `salt` of `seed`. */
export function hashU32(seed: number, salt: number, index: number): number {
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ Math.imul(salt + 1, 0x27d4eb2f)) >>> 0);
  h = mix32((h + Math.imul(index | 0, 0x165667b1)) >>> 0);
  return h;
}

/** A stateless uniform value in [0, 1) for element `index` of the sub-stream `salt` of `seed`. */
export function hash01(seed: number, salt: number, index: number): number {
  return hashU32(seed, salt, index) / 4294967296;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), period ≥ 2^32, passes PractRand. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** A generator for the named sub-stream of `seed`: different names give independent streams. */
  constructor(seed: number, stream = '') {
    const s = hashString(stream);
    this.a = mix32((seed ^ 0xa0761d65) >>> 0);
    this.b = mix32((s ^ 0xe7037ed1) >>> 0);
    this.c = mix32((seed + s + 0x8ebc6af0) >>> 0);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn with probability proportional to `cumulative[i] - cumulative[i-1]` (a running sum). */
  weighted(cumulative: ArrayLike<number>): number {
    const total = cumulative[cumulative.length - 1];
    const x = this.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}
