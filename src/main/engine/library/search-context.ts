/**
 * The one place a `Library` is narrowed to what search and the photo view read
 * (`search/context.ts`): its store's readers, its indexes, its analyser and its class names.
 */
import type { SearchContext } from '../search/context.js'
import type { Library } from './library.js'

const contexts = new WeakMap<Library, SearchContext>()

/** The search context of an open library (made once per library). */
export function librarySearchContext(lib: Library): SearchContext {
  let ctx = contexts.get(lib)
  if (!ctx) {
    const { store, indexes } = lib
    ctx = {
      libraryDir: lib.paths.dir,
      photos: store.photos,
      objects: store.objects,
      embeddings: store.embeddings,
      labels: store.labels,
      indexes: { photos: indexes.photos, objects: indexes.objects },
      analyser: lib.parts,
      classNames: lib.head.header.classNames,
    }
    contexts.set(lib, ctx)
  }
  return ctx
}
