/**
 * Search by example over a library's search context (MLIR-SARL-GAT section 3.2): cosine nearest neighbours
 * of the photo embedding H in the photo index, or of each query object's h_i in the object index
 * aggregated per photo; optional label filters; every result explained (see `explain.ts`).
 */
import { className, toSearchContext, type SearchContext, type SearchTarget } from './context.js'
import { explainResult } from './explain.js'
import { photoFilter, PhotoLabelCache } from './photo-labels.js'
import { QueryError } from './query-error.js'
import { resolveQuery } from './query.js'
import type { QuerySpec, ResolvedQuery, SearchOptions, SearchResult } from './types.js'

/** Default number of results. */
export const DEFAULT_K = 20

/** Object candidates fetched per query object: enough for every result photo to find its objects. */
export const objectFetch = (k: number, size: number): number => Math.min(size, Math.max(50 * k, 1000))

/** Throws a `QueryError` ('empty-library') when the library has nothing to search. */
export function assertSearchable(target: SearchTarget): void {
  const ctx = toSearchContext(target)
  if (ctx.indexes.photos.size === 0) {
    throw new QueryError('empty-library', `the library at ${ctx.libraryDir} has no indexed photos: run \`constella index <folder>\` first`)
  }
}

/** A photo's score in an object search before explanation. */
interface Scored {
  photoId: number
  similarity: number
  objectHits?: SearchResult['objectHits']
}

/**
 * Object search: each query object's nearest objects, per photo the best similarity to each query
 * object; a photo scores the mean over query objects (a query object none of whose candidates is
 * in the photo counts 0). So photos holding an object like every query object rank first.
 */
function searchObjects(ctx: SearchContext, query: ResolvedQuery, k: number, acceptPhoto: (photoId: number) => boolean): Scored[] {
  const photoOf = new Map<number, number | undefined>()
  const photoOfObject = (objectId: number) => {
    if (!photoOf.has(objectId)) photoOf.set(objectId, ctx.objects.get(objectId)?.photoId)
    return photoOf.get(objectId)
  }
  const filter = (objectId: number) => {
    const p = photoOfObject(objectId)
    return p !== undefined && acceptPhoto(p)
  }
  const n = query.objects.length
  const best = new Map<number, { objectId: number; similarity: number }[]>()
  const fetch = objectFetch(k, ctx.indexes.objects.size)
  query.objects.forEach((q, i) => {
    for (const hit of ctx.indexes.objects.search(q.embedding, fetch, { filter })) {
      const photoId = photoOfObject(hit.key)!
      let row = best.get(photoId)
      if (!row) best.set(photoId, (row = new Array(n)))
      if (!row[i] || hit.similarity > row[i].similarity) row[i] = { objectId: hit.key, similarity: hit.similarity }
    }
  })
  const scored: Scored[] = [...best].map(([photoId, row]) => {
    let sum = 0
    const objectHits: NonNullable<SearchResult['objectHits']> = []
    for (let i = 0; i < n; i++) {
      if (!row[i]) continue
      sum += row[i].similarity
      objectHits.push({ queryIndex: i, ...row[i] })
    }
    return { photoId, similarity: sum / n, objectHits }
  })
  return scored.sort((a, b) => b.similarity - a.similarity || a.photoId - b.photoId).slice(0, k)
}

/** Searches a library (or its search context) with a resolved query; results best first, the query photo excluded. */
export function searchLibrary(target: SearchTarget, query: ResolvedQuery, options: SearchOptions = {}): SearchResult[] {
  const ctx = toSearchContext(target)
  const k = options.k ?? DEFAULT_K
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`)
  assertSearchable(ctx)
  const labels = new PhotoLabelCache(ctx.labels)
  const accept = photoFilter(labels, { mustHave: options.mustHave, mustNotHave: options.mustNotHave, exclude: query.excludePhotoIds })
  let scored: Scored[]
  if (query.mode === 'photo') {
    if (!query.photoEmbedding) throw new Error('a photo query needs a photo embedding')
    scored = ctx.indexes.photos.search(query.photoEmbedding, k, { filter: accept })
      .map((h) => ({ photoId: h.key, similarity: h.similarity }))
  } else {
    if (query.objects.length === 0) throw new QueryError('bad-box', 'an object query needs at least one object')
    scored = searchObjects(ctx, query, k, accept)
  }
  return scored.flatMap((s) => {
    const photo = ctx.photos.get(s.photoId)
    if (!photo) return []
    const positives = [...labels.positives(s.photoId)].sort((a, b) => a - b)
    return [{
      photoId: s.photoId, path: photo.path, thumbnail: photo.thumbnail, similarity: s.similarity,
      labels: positives.map((c) => className(ctx, c)),
      ...(s.objectHits ? { objectHits: s.objectHits } : {}),
      explanation: explainResult(ctx, query, s.photoId, labels),
    }]
  })
}

/**
 * Resolves `spec` and searches: the query as resolved, and its results. `target` is an open
 * `Library` (its search context is used) or a search context.
 */
export async function search(target: SearchTarget, spec: QuerySpec, options: SearchOptions = {}): Promise<{ query: ResolvedQuery; results: SearchResult[] }> {
  const ctx = toSearchContext(target)
  assertSearchable(ctx)
  const query = await resolveQuery(ctx, spec)
  return { query, results: searchLibrary(ctx, query, options) }
}
