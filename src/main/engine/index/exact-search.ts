/**
 * Exact (brute-force) cosine search with USearch's native `exactSearch`, which measured ~6x
 * faster than a plain JS dot-product loop (20k x 256-d: 3.5 ms vs 22 ms per query, 1 thread).
 */
import { exactSearch, MetricKind, type Matches } from 'usearch'

/** One search result: the vector's key and its cosine similarity to the query (1 - distance). */
export interface SearchHit {
  key: number
  similarity: number
}

/** Keeps predicate: true to keep a key in the results. */
export type KeyFilter = (key: number) => boolean

const CHUNK_ROWS = 4096

/** The `k` best hits of a stream of partial results (k is small: insertion into a sorted array). */
export class TopHits {
  readonly hits: SearchHit[] = []
  constructor(private readonly k: number) {}

  /** Offers one hit; kept when it beats the current k-th. */
  offer(key: number, similarity: number): void {
    const h = this.hits
    if (h.length === this.k && similarity <= h[h.length - 1].similarity) return
    let i = h.length
    while (i > 0 && h[i - 1].similarity < similarity) i--
    h.splice(i, 0, { key, similarity })
    if (h.length > this.k) h.pop()
  }
}

/**
 * A typed array USearch's `exactSearch` reads correctly: it ignores `byteOffset` (usearch 2.26
 * reads a view from the start of its buffer), so views that do not start their buffer are copied.
 * Vectors that arrive from the inference process are such views (slices of a pooled buffer).
 */
function fromBufferStart(v: Float32Array): Float32Array {
  return v.byteOffset === 0 ? v : v.slice()
}

/** Runs native exact search of one query over `rows` stacked vectors (single thread). */
function nativeExact(matrix: Float32Array, rows: number, query: Float32Array, k: number): Matches {
  const dims = query.length
  const data = fromBufferStart(matrix.length === rows * dims ? matrix : matrix.subarray(0, rows * dims))
  return exactSearch(data, fromBufferStart(query), dims, Math.min(k, rows), MetricKind.Cos, 1) as Matches
}

/**
 * Exact top-k over a dense row-major matrix whose row `i` has key `keyOf(i)`.
 * @param rows number of used rows at the start of `matrix`
 */
export function exactTopKDense(
  matrix: Float32Array, rows: number, keyOf: (row: number) => number, query: Float32Array, k: number,
): SearchHit[] {
  if (rows === 0 || k <= 0) return []
  const m = nativeExact(matrix, rows, query, k)
  const out: SearchHit[] = []
  for (let i = 0; i < m.keys.length; i++) {
    out.push({ key: keyOf(Number(m.keys[i])), similarity: 1 - m.distances[i] })
  }
  return out
}

/**
 * Exact top-k over a stream of `[key, vector]` rows, optionally filtered before any distance is
 * computed; rows are copied into chunks of 4096 and searched natively, so memory stays bounded
 * whatever the stream's length (used for filtered search and for exact search over the store).
 */
export function exactTopKStream(
  rows: Iterable<readonly [number, Float32Array]>, query: Float32Array, k: number, filter?: KeyFilter,
): SearchHit[] {
  if (k <= 0) return []
  const dims = query.length
  const chunk = new Float32Array(CHUNK_ROWS * dims)
  const chunkKeys = new Float64Array(CHUNK_ROWS)
  const top = new TopHits(k)
  let n = 0
  const flush = (): void => {
    if (n === 0) return
    const m = nativeExact(chunk, n, query, k)
    for (let i = 0; i < m.keys.length; i++) top.offer(chunkKeys[Number(m.keys[i])], 1 - m.distances[i])
    n = 0
  }
  for (const [key, vector] of rows) {
    if (filter && !filter(key)) continue
    if (vector.length !== dims) throw new RangeError(`vector ${key} has ${vector.length} dims, expected ${dims}`)
    chunk.set(vector, n * dims)
    chunkKeys[n++] = key
    if (n === CHUNK_ROWS) flush()
  }
  flush()
  return top.hits
}
