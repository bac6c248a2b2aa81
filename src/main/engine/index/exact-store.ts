/**
 * In-memory copy of a small library's vectors, so that small libraries are searched exactly
 * (perfect recall) instead of through the HNSW graph.
 */
import { exactTopKDense, exactTopKStream, type KeyFilter, type SearchHit } from './exact-search.js'

/** Dense, growable matrix of vectors addressed by key; removal swaps the last row in. */
export class ExactStore {
  private data: Float32Array
  private slotKeys: Float64Array
  private readonly slotOf = new Map<number, number>()

  constructor(readonly dims: number, initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity)
    this.data = new Float32Array(cap * dims)
    this.slotKeys = new Float64Array(cap)
  }

  /** Number of vectors held. */
  get size(): number {
    return this.slotOf.size
  }

  /** Whether `key` is held. */
  has(key: number): boolean {
    return this.slotOf.has(key)
  }

  /** Inserts or replaces the vector of `key` (copied). */
  set(key: number, vector: Float32Array): void {
    let slot = this.slotOf.get(key)
    if (slot === undefined) {
      slot = this.slotOf.size
      if (slot === this.slotKeys.length) this.grow()
      this.slotOf.set(key, slot)
      this.slotKeys[slot] = key
    }
    this.data.set(vector, slot * this.dims)
  }

  /** Removes `key`; returns whether it was held. */
  delete(key: number): boolean {
    const slot = this.slotOf.get(key)
    if (slot === undefined) return false
    const last = this.slotOf.size - 1
    if (slot !== last) {
      const lastKey = this.slotKeys[last]
      this.data.copyWithin(slot * this.dims, last * this.dims, (last + 1) * this.dims)
      this.slotKeys[slot] = lastKey
      this.slotOf.set(lastKey, slot)
    }
    this.slotOf.delete(key)
    return true
  }

  /** Exact cosine top-k, optionally keeping only keys that pass `filter`. */
  search(query: Float32Array, k: number, filter?: KeyFilter): SearchHit[] {
    if (!filter) return exactTopKDense(this.data, this.size, (row) => this.slotKeys[row], query, k)
    return exactTopKStream(this.rows(), query, k, filter)
  }

  /** Every `[key, vector]` (vectors are views into the store: do not keep them). */
  *rows(): IterableIterator<[number, Float32Array]> {
    const n = this.size
    for (let i = 0; i < n; i++) {
      yield [this.slotKeys[i], this.data.subarray(i * this.dims, (i + 1) * this.dims)]
    }
  }

  private grow(): void {
    const cap = this.slotKeys.length * 2
    const data = new Float32Array(cap * this.dims)
    data.set(this.data)
    const keys = new Float64Array(cap)
    keys.set(this.slotKeys)
    this.data = data
    this.slotKeys = keys
  }
}
