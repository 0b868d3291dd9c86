/** Append-only typed arrays that double when full: the builder's storage for millions of values. */
type TypedArrayCtor<T> = { new (length: number): T };

class Growable<T extends Float64Array | Uint32Array | Uint8Array> {
  array: T;
  length = 0;
  private readonly Ctor: TypedArrayCtor<T>;

  constructor(Ctor: TypedArrayCtor<T>, capacity = 1024) {
    this.Ctor = Ctor;
    this.array = new Ctor(capacity);
  }

  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = new this.Ctor(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }

  /** A trimmed copy with exactly `length` values. */
  toArray(): T {
    return this.array.slice(0, this.length) as T;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity?: number) {
    super(Float64Array, capacity);
  }
}

export class GrowableUint32 extends Growable<Uint32Array> {
  constructor(capacity?: number) {
    super(Uint32Array, capacity);
  }
}

export class GrowableUint8 extends Growable<Uint8Array> {
  constructor(capacity?: number) {
    super(Uint8Array, capacity);
  }
}
