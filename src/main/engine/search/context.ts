/**
 * What search and the photo view read of a library, and nothing more: the store's readers, the
 * two vector indexes, the analyser that resolves a query photo (detector + head, run as indexing
 * runs them) and the class names. A `Library` builds it in one place (`library/search-context.ts`);
 * search never sees the whole library, so it cannot write to it.
 */
import type { AnalyzerParts } from '../analysis/analyze-photo.js'
import type { VectorIndex } from '../index/vector-index.js'
import type { EmbeddingRepository } from '../store/embedding-repository.js'
import type { LabelRepository } from '../store/label-repository.js'
import type { ObjectRepository } from '../store/object-repository.js'
import type { PhotoRepository } from '../store/photo-repository.js'

/** A vector index as search reads it. */
export type IndexReader = Pick<VectorIndex, 'size' | 'search' | 'has'>

/** The narrow view of a library that search, explanations and the photo graph run on. */
export interface SearchContext {
  /** The library folder, named in messages. */
  libraryDir: string
  photos: Pick<PhotoRepository, 'get' | 'findByPath' | 'findByHash'>
  objects: Pick<ObjectRepository, 'get' | 'listByPhoto' | 'features'>
  embeddings: Pick<EmbeddingRepository, 'get'>
  labels: Pick<LabelRepository, 'effective'>
  /** H per photo id and h_i per object id. */
  indexes: { photos: IndexReader; objects: IndexReader }
  /** Detector, head and head graph: analyses query photos exactly as indexing analyses library photos. */
  analyser: AnalyzerParts
  /** The head's class list (class ids index it). */
  classNames: readonly string[]
}

/** Anything that can give a search context (an open `Library` does). */
export interface SearchContextSource {
  searchContext(): SearchContext
}

/** What the search entry points accept: a context, or an open library. */
export type SearchTarget = SearchContext | SearchContextSource

/** The context of a target. */
export function toSearchContext(target: SearchTarget): SearchContext {
  return 'searchContext' in target && typeof target.searchContext === 'function' ? target.searchContext() : (target as SearchContext)
}

/** The name of class `classId` (or "class N" for an id outside the list). */
export function className(ctx: SearchContext, classId: number): string {
  return ctx.classNames[classId] ?? `class ${classId}`
}
