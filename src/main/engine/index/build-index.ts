/** Creating USearch indexes and bulk-building one from a `VectorSource`. */
import { Index, MetricKind, ScalarKind } from 'usearch'
import { ExactStore } from './exact-store.js'
import type { Quantization } from './index-files.js'
import type { VectorIndexOptions } from './index-options.js'
import { KeySetHash } from './key-set-hash.js'
import { toKey, type VectorKey, type VectorSource } from './vector-source.js'

const SCALARS: Record<Quantization, ScalarKind> = { f32: ScalarKind.F32, f16: ScalarKind.F16, i8: ScalarKind.I8 }
const BUILD_BATCH = 8192

/** An empty cosine USearch index with the given tuning. */
export function createNativeIndex(dims: number, o: Required<VectorIndexOptions>): Index {
  return new Index({
    dimensions: dims, metric: MetricKind.Cos, quantization: SCALARS[o.quantization], multi: false,
    connectivity: o.connectivity, expansion_add: o.expansionAdd, expansion_search: o.expansionSearch,
  })
}

/**
 * Returns `v` when it is a Float32Array of `dims` finite values.
 * @throws RangeError naming `what` otherwise.
 */
export function checkedVector(v: Float32Array, dims: number, what: VectorKey | string): Float32Array {
  if (!(v instanceof Float32Array) || v.length !== dims) {
    throw new RangeError(`vector ${String(what)}: expected Float32Array(${dims}), got length ${v?.length}`)
  }
  for (let i = 0; i < dims; i++) {
    if (!Number.isFinite(v[i])) throw new RangeError(`vector ${String(what)}: value ${i} is not finite`)
  }
  return v
}

/** Returns why `v` is not a Float32Array of `dims` finite values, or undefined when it is. */
export function vectorProblem(v: Float32Array, dims: number): string | undefined {
  if (!(v instanceof Float32Array) || v.length !== dims) return `expected Float32Array(${dims}), got length ${v?.length}`
  for (let i = 0; i < dims; i++) if (!Number.isFinite(v[i])) return `value ${i} is ${v[i]}`
  return undefined
}

/** A source vector left out of an index because it is damaged (a NaN or infinite value). */
export interface InvalidVector {
  key: number
  reason: string
}

/** A freshly built index with its key-set hash and, for small libraries, the in-memory copy. */
export interface BuiltIndex {
  native: Index
  keyHash: KeySetHash
  store: ExactStore | undefined
  /** Source vectors that were skipped: the rest of the index works without them. */
  invalid: InvalidVector[]
}

/**
 * Builds a fresh graph from every entry of the source, adding batches of 8192 vectors on
 * `threads` threads; keeps an exact in-memory copy when the source has at most `exactThreshold`.
 */
export function buildIndex(dims: number, source: VectorSource, o: Required<VectorIndexOptions>): BuiltIndex {
  const native = createNativeIndex(dims, o)
  const keyHash = new KeySetHash()
  const expected = source.count()
  const store = expected <= o.exactThreshold ? new ExactStore(dims, expected) : undefined
  const batch = new Float32Array(BUILD_BATCH * dims)
  const keys = new BigUint64Array(BUILD_BATCH)
  let n = 0
  const flush = (): void => {
    if (n > 0) native.add(keys.subarray(0, n), batch.subarray(0, n * dims), o.threads)
    n = 0
  }
  const invalid: InvalidVector[] = []
  for (const [key, vector] of source.entries()) {
    const k = toKey(key)
    const problem = vectorProblem(vector, dims)
    if (problem && vector?.length === dims) {
      invalid.push({ key: k, reason: problem }) // damaged data: skip it, the caller repairs it
      continue
    }
    const v = checkedVector(vector, dims, k) // a wrong length is a wrong source: fail loudly
    batch.set(v, n * dims)
    keys[n++] = BigInt(k)
    keyHash.add(k)
    store?.set(k, v)
    if (n === BUILD_BATCH) flush()
  }
  flush()
  return { native, keyHash, store, invalid }
}

/**
 * The in-memory exact copy of a source's vectors.
 * @throws RangeError when a vector is damaged (the caller then rebuilds, which skips it).
 */
export function loadExactStore(dims: number, source: VectorSource): ExactStore {
  const store = new ExactStore(dims, source.count())
  for (const [k, v] of source.entries()) store.set(toKey(k), checkedVector(v, dims, k))
  return store
}
