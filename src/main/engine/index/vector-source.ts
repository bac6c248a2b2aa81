/**
 * What a vector index is built from and checked against. The library store (SQLite) is the
 * source of truth for vectors; the index module never imports it, the caller hands a
 * `VectorSource` in instead.
 */

/** A vector's key as a source may yield it (SQLite row ids come back as number or bigint). */
export type VectorKey = bigint | number

/**
 * Read-only view of the vectors an index must hold: the photo (or object) embeddings in SQLite.
 * All methods are synchronous (better-sqlite3 style) and must describe the same snapshot while an
 * index is opened or rebuilt.
 */
export interface VectorSource {
  /** How many vectors there are. */
  count(): number
  /** Every key, in any order. Cheap compared to `entries()`: used to validate a saved index. */
  keys(): Iterable<VectorKey>
  /** Every key with its vector (length = the index's dimensions), in any order. */
  entries(): Iterable<[key: number, vector: Float32Array]>
  /**
   * Optional fingerprint of the vectors' content (e.g. model version + last change time): when it
   * differs from the one saved with the index, the index is rebuilt even if the key set is equal.
   */
  fingerprint?(): string
}

/**
 * Normalises a key to a non-negative safe integer (photo and object ids are SQLite row ids).
 * @throws RangeError when the key is negative, fractional or above `Number.MAX_SAFE_INTEGER`.
 */
export function toKey(key: VectorKey): number {
  const n = typeof key === 'bigint' ? Number(key) : key
  if (!Number.isSafeInteger(n) || n < 0 || (typeof key === 'bigint' && BigInt(n) !== key)) {
    throw new RangeError(`vector key must be a non-negative safe integer, got ${String(key)}`)
  }
  return n
}

/** A `VectorSource` over an in-memory map: handy for tests, benchmarks and small callers. */
export class MapVectorSource implements VectorSource {
  /** The vectors by key; mutate it freely between index operations. */
  readonly vectors = new Map<number, Float32Array>()
  /** Returned by `fingerprint()` when set. */
  fingerprintValue: string | undefined

  constructor(entries: Iterable<[number, Float32Array]> = []) {
    for (const [k, v] of entries) this.vectors.set(k, v)
  }

  count(): number {
    return this.vectors.size
  }

  keys(): Iterable<number> {
    return this.vectors.keys()
  }

  entries(): Iterable<[number, Float32Array]> {
    return this.vectors.entries()
  }

  fingerprint(): string {
    return this.fingerprintValue ?? ''
  }
}
