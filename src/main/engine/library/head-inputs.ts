/**
 * The head's inputs that indexing stores beside its outputs (F_0 and the objects' class evidence,
 * see `store/embedding-methods.ts`), so that the photo graph can run the head again without the
 * detector. All vectors of a method share one size: when a new head pools another feature map or
 * knows other classes, the stored inputs of the old one cannot be kept next to the new ones.
 */
import { METHODS, type LibraryStore } from '../store/index.js'

/**
 * Deletes the stored head inputs whose size does not fit a head with `featureDim` features and
 * `numClasses` classes (photos analysed again rewrite them; until then their graph is computed
 * from their files). Returns the methods dropped.
 */
export function dropMismatchedHeadInputs(store: LibraryStore, featureDim: number, numClasses: number): string[] {
  const expected: [string, number][] = [[METHODS.photoFeature, featureDim], [METHODS.objectEvidence, numClasses]]
  return expected.flatMap(([method, dims]) => {
    const stored = store.embeddings.dims(method)
    if (stored === undefined || stored === dims) return []
    store.embeddings.deleteMethod(method)
    return [method]
  })
}
