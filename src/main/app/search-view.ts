/**
 * The engine's search result in the contract's words: the query as resolved, each result with its
 * matched pairs (at most one per query object and per result object), the pair cost in words
 * (`closeness`), and a one-line summary for the result card.
 */
import path from 'node:path'
import type { MatchView, SearchQueryView, SearchResultView } from '../../shared/api-contract.js'
import type { PhotoRepository } from '../engine/store/photo-repository.js'
import type { ResolvedQuery, SearchResult } from '../engine/search/types.js'

/** Upper cost bounds (1 - cosine, lower = closer) of each closeness word, closest first. */
export const CLOSENESS: readonly [number, string][] = [
  [0.05, 'nearly identical'],
  [0.15, 'very close'],
  [0.3, 'close'],
  [0.5, 'similar'],
]

/** A pair cost (1 - cos of the object embeddings) in words a user understands. */
export function closeness(cost: number): string {
  return CLOSENESS.find(([bound]) => cost < bound)?.[1] ?? 'loosely related'
}

/** The query as the engine understood it. */
export function queryView(query: ResolvedQuery, size: { width: number | null; height: number | null }, uploadId: string | null, classNames: readonly string[]): SearchQueryView {
  return {
    mode: query.mode,
    photoId: query.photoId ?? null,
    uploadId,
    width: size.width,
    height: size.height,
    objects: query.objects.map((o, index) => ({
      index, objectId: o.objectId ?? null, classId: o.classId, className: o.className, box: o.box, score: o.score, origin: o.origin,
      ...(o.boxIou !== undefined ? { boxIou: o.boxIou } : {}),
    })),
    labels: query.labels.map((c) => classNames[c] ?? `class ${c}`),
  }
}

/** Matches of an explanation, one per query object and per result object (the cheapest kept). */
export function uniqueMatches(result: SearchResult): { matches: MatchView[]; unmatchedQuery: number[]; unmatchedResult: number[] } {
  const usedQuery = new Set<number>()
  const usedResult = new Set<number>()
  const dropped = new Set<number>()
  const matches: MatchView[] = []
  for (const m of [...result.explanation.matches].sort((a, b) => a.cost - b.cost)) {
    if (usedQuery.has(m.queryObject.index) || usedResult.has(m.resultObject.id)) {
      dropped.add(m.resultObject.id)
      continue
    }
    usedQuery.add(m.queryObject.index)
    usedResult.add(m.resultObject.id)
    matches.push({
      queryIndex: m.queryObject.index, resultObjectId: m.resultObject.id, resultClassName: m.resultObject.className,
      resultBox: m.resultObject.box, cost: m.cost, closeness: closeness(m.cost), mass: m.mass,
    })
  }
  const unmatchedQuery = [...new Set([...result.explanation.unmatchedQuery, ...result.explanation.matches.map((m) => m.queryObject.index)])]
    .filter((i) => !usedQuery.has(i)).sort((a, b) => a - b)
  const unmatchedResult = [...new Set([...result.explanation.unmatchedResult, ...dropped])].filter((id) => !usedResult.has(id))
  return { matches, unmatchedQuery, unmatchedResult }
}

/** One sentence for a result card, e.g. "shares dog, frisbee; dog↔dog very close". */
export function summary(query: SearchQueryView, shared: string[], matches: MatchView[]): string {
  const parts: string[] = []
  if (shared.length > 0) parts.push(`shares ${shared.slice(0, 3).join(', ')}${shared.length > 3 ? ` and ${shared.length - 3} more` : ''}`)
  else if (query.labels.length > 0) parts.push('no shared labels')
  const best = matches[0]
  if (best) parts.push(`${query.objects[best.queryIndex]?.className ?? 'object'}↔${best.resultClassName} ${best.closeness}`)
  else if (query.objects.length > 0) parts.push('no object matched')
  return parts.length > 0 ? parts.join('; ') : 'similar overall'
}

/** One result with its explanation. */
export function resultView(result: SearchResult, query: SearchQueryView, photos: Pick<PhotoRepository, 'get'>): SearchResultView {
  const photo = photos.get(result.photoId)
  const { matches, unmatchedQuery, unmatchedResult } = uniqueMatches(result)
  const e = result.explanation
  return {
    photoId: result.photoId,
    name: path.basename(result.path),
    width: photo?.width ?? null,
    height: photo?.height ?? null,
    similarity: result.similarity,
    labels: result.labels,
    explanation: {
      matches, sharedLabels: e.sharedLabels, queryOnlyLabels: e.queryOnlyLabels, resultOnlyLabels: e.resultOnlyLabels,
      unmatchedQuery, unmatchedResult, summary: summary(query, e.sharedLabels, matches),
    },
  }
}
