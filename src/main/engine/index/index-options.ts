/** Options and reports of `VectorIndex`, with the defaults chosen by `bench/search.ts`. */
import type { KeyFilter } from './exact-search.js'
import type { Quantization } from './index-files.js'
import type { OpenReason } from './saved-index-check.js'

/** Tuning of one index; every field has a default. */
export interface VectorIndexOptions {
  /** Storage of vectors inside the index: 'f32' (default), 'f16' (half size) or 'i8' (quarter). */
  quantization?: Quantization
  /** HNSW edges per node (M); only used when the graph is (re)built. */
  connectivity?: number
  /** Candidate list size while inserting (efConstruction). */
  expansionAdd?: number
  /** Candidate list size while searching (ef); may change between opens without a rebuild. */
  expansionSearch?: number
  /** Libraries with at most this many vectors are searched exactly (default 20,000). */
  exactThreshold?: number
  /** Threads for bulk builds; 0 = all cores (default). Queries always run on the calling thread. */
  threads?: number
  /** Most HNSW candidates a filtered search fetches before scanning the source exactly. */
  maxOverFetch?: number
  /**
   * Open for reading beside another process that owns the folder: never delete temp files,
   * never write (a stale index is rebuilt in memory only; `save` throws, `close` does not save).
   */
  readOnly?: boolean
}

/**
 * Defaults, chosen with `bench/search.ts` (256-d clustered synthetic data, 2 cores): at 1M
 * vectors M=16 needed ef=256 for recall@10 0.98 (p99 5.4 ms), while M=32 reached 0.986 at
 * ef=128 with p99 2.6 ms for 10% more build time and 11% more disk; at 100k both are >= 0.998.
 */
export const DEFAULT_INDEX_OPTIONS: Required<VectorIndexOptions> = {
  quantization: 'f32',
  connectivity: 32,
  expansionAdd: 128,
  expansionSearch: 128,
  exactThreshold: 20_000,
  threads: 0,
  maxOverFetch: 4096,
  readOnly: false,
}

/** What `VectorIndex.open` found and did. */
export interface OpenReport {
  rebuilt: boolean
  reason: OpenReason
  /** Human-readable explanation of `reason`. */
  detail: string
  /** Temp files of an interrupted save that were deleted. */
  leftovers: string[]
  /** Source vectors left out because they are damaged (non-finite values): the caller repairs them. */
  invalid: { key: number; reason: string }[]
  elapsedMs: number
}

/** Per-query options of `VectorIndex.search`. */
export interface SearchOptions {
  /** Keep only keys for which this returns true (e.g. must-have / must-not-have labels). */
  filter?: KeyFilter
  /** Force an exact search (over the source when the vectors are not in memory). */
  exact?: boolean
}
