/** The store's embeddings of one method as the source of truth an index is checked against and rebuilt from. */
import type { VectorSource } from '../index/vector-source.js'
import type { LibraryStore } from '../store/index.js'

/** Embedding methods the library keeps (defined in the store, re-exported here for existing callers). */
export { METHODS } from '../store/embedding-methods.js'

/** A VectorSource over `store.embeddings` of `method` (keys: photo ids or object ids). */
export function storeVectorSource(store: LibraryStore, method: string): VectorSource {
  return {
    count: () => store.embeddings.count(method),
    keys: () => store.embeddings.ownerIds(method),
    *entries() {
      for (const e of store.embeddings.iterate(method)) yield [e.ownerId, e.vector] as [number, Float32Array]
    },
  }
}
