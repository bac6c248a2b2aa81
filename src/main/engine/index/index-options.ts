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
}

/** Defaults; see bench/search.ts and the figures quoted there. */
export const DEFAULT_INDEX_OPTIONS: Required<VectorIndexOptions> = {
  quantization: 'f32',
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 64,
  exactThreshold: 20_000,
  threads: 0,
  maxOverFetch: 4096,
}

/** What `VectorIndex.open` found and did. */
export interface OpenReport {
  rebuilt: boolean
  reason: OpenReason
  /** Human-readable explanation of `reason`. */
  detail: string
  /** Temp files of an interrupted save that were deleted. */
  leftovers: string[]
  elapsedMs: number
}

/** Per-query options of `VectorIndex.search`. */
export interface SearchOptions {
  /** Keep only keys for which this returns true (e.g. must-have / must-not-have labels). */
  filter?: KeyFilter
  /** Force an exact search (over the source when the vectors are not in memory). */
  exact?: boolean
}
