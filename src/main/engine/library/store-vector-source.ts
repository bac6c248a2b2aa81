/** The store's embeddings of one method as the source of truth an index is checked against and rebuilt from. */
import type { VectorSource } from '../index/vector-source.js'
import type { LibraryStore } from '../store/index.js'

/** Embedding methods the library keeps. */
export const METHODS = {
  /** H: the SARL-GAT photo embedding. */
  photo: 'sarl-gat',
  /** h_i: the SARL-GAT object embedding. */
  object: 'sarl-gat-object',
  /** The detector's per-class max scores (label evidence). */
  labels: 'label-histogram',
} as const

/** A VectorSource over `store.embeddings` of `method` (keys: photo ids or object ids). */
export function storeVectorSource(store: LibraryStore, method: string): VectorSource {
  return {
    count: () => store.embeddings.count(method),
    *keys() {
      for (const e of store.embeddings.iterate(method)) yield e.ownerId
    },
    *entries() {
      for (const e of store.embeddings.iterate(method)) yield [e.ownerId, e.vector] as [number, Float32Array]
    },
  }
}
