/**
 * Typed arrays in shared memory (for worker threads: the same memory, never copied) or ordinary
 * memory (the single-thread path), chosen once per computation.
 */
type TypedArrayType<T> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

export function allocate<T>(Type: TypedArrayType<T>, length: number, shared: boolean): T {
  const bytes = Math.max(1, length) * Type.BYTES_PER_ELEMENT;
  return new Type(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, length);
}

/** A copy of `values` in shared or ordinary memory. */
export function copyOf<T extends { length: number; set(a: ArrayLike<number>): void }>(Type: TypedArrayType<T>, values: ArrayLike<number>, shared: boolean): T {
  const out = allocate(Type, values.length, shared);
  out.set(values);
  return out;
}
