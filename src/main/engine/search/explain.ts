/**
 * Why a result matches its query: an optimal-transport matching between the query's objects and
 * the result's objects over their SARL-GAT object embeddings, and the labels they share.
 *
 * Cost C_ij = 1 - cos(h_i^query, h_j^result) (0 = same embedding, 2 = opposite). The smaller side
 * is padded with dummy "unmatched" nodes whose cost to everything is `DUMMY_COST`, so both sides
 * have N = max(n, m) nodes of mass 1/N each (uniform marginals, a balanced problem; an object
 * whose best real partner costs more than the dummy is better left unmatched). The plan T is the
 * entropic Sinkhorn solution (epsilon `EXPLAIN_EPSILON`). Matches are read from T greedily, one
 * to one: pairs of real objects by descending mass (ties: lower cost, then lower indexes), each
 * carrying at least 1/N of its query object's mass — the share a plan that knew nothing (uniform)
 * would give; so a match is where the plan puts more than chance, and `mass` says how sure it is;
 * a pair costing more than `DUMMY_COST` (more than leaving the object unmatched) is not a match,
 * even where the balance of the plan forces mass onto it (n real objects against m >= n).
 * Same-class objects of one photo often have near-identical h_i (the GAT smooths them together):
 * the plan then splits their mass and the readout picks any of the equivalent partners, each at
 * the same (near-zero) cost. Everything is deterministic.
 */
import { sinkhorn } from '../../../shared/math/sinkhorn.js'
import { cosine } from '../../../shared/math/vector.js'
import type { SearchContext, SearchTarget } from './context.js'
import { storedObjects } from './library-photos.js'
import type { PhotoLabelCache } from './photo-labels.js'
import type { Explanation, MatchedResultObject, ObjectMatch, QueryObject, ResolvedQuery } from './types.js'

/** Entropic regularisation of the matching (in cost units). */
export const EXPLAIN_EPSILON = 0.05
/** Cost of leaving an object unmatched (of pairing it with a dummy node). */
export const DUMMY_COST = 0.5

/** A result object with its embedding. */
export interface ResultObject extends MatchedResultObject {
  embedding: Float32Array
}

/** The object matching part of an explanation. */
export type ObjectMatching = Pick<Explanation, 'matches' | 'unmatchedQuery' | 'unmatchedResult' | 'transportCost'>

/** Matches query objects to result objects by entropic OT (see the module comment). */
export function matchObjects(query: readonly QueryObject[], result: readonly ResultObject[]): ObjectMatching {
  const n = query.length
  const m = result.length
  if (n === 0 || m === 0) {
    return { matches: [], unmatchedQuery: query.map((_, i) => i), unmatchedResult: result.map((r) => r.id), transportCost: 0 }
  }
  const size = Math.max(n, m)
  const cost = new Float64Array(size * size).fill(DUMMY_COST)
  const pairCost = (i: number, j: number) => cost[i * size + j]
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) cost[i * size + j] = 1 - cosine(query[i].embedding, result[j].embedding)
  const uniform = new Float64Array(size).fill(1 / size)
  const t = sinkhorn(cost, uniform, uniform, { epsilon: EXPLAIN_EPSILON, tolerance: 1e-9, maxIterations: 2000 })
  const candidates: { i: number; j: number; mass: number }[] = []
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const mass = t.plan[i * size + j] * size
      if (mass >= (1 - 1e-9) / size && pairCost(i, j) <= DUMMY_COST) candidates.push({ i, j, mass })
    }
  }
  candidates.sort((a, b) => b.mass - a.mass || pairCost(a.i, a.j) - pairCost(b.i, b.j) || a.i - b.i || a.j - b.j)
  const usedQ = new Set<number>()
  const usedR = new Set<number>()
  const matches: ObjectMatch[] = []
  for (const { i, j, mass } of candidates) {
    if (usedQ.has(i) || usedR.has(j)) continue
    usedQ.add(i)
    usedR.add(j)
    const q = query[i]
    const r = result[j]
    matches.push({
      queryObject: { index: i, objectId: q.objectId, classId: q.classId, className: q.className, box: q.box },
      resultObject: { id: r.id, classId: r.classId, className: r.className, box: r.box },
      cost: pairCost(i, j),
      mass: Math.min(1, mass),
    })
  }
  matches.sort((a, b) => a.cost - b.cost || a.queryObject.index - b.queryObject.index)
  return {
    matches,
    unmatchedQuery: query.flatMap((_, i) => (usedQ.has(i) ? [] : [i])),
    unmatchedResult: result.flatMap((r, j) => (usedR.has(j) ? [] : [r.id])),
    transportCost: t.cost,
  }
}

/** Shared, query-only and result-only label names of two sets of positive class ids. */
export function compareLabels(query: Iterable<number>, result: Iterable<number>, classNames: readonly string[]): Pick<Explanation, 'sharedLabels' | 'queryOnlyLabels' | 'resultOnlyLabels'> {
  const q = new Set(query)
  const r = new Set(result)
  const names = (ids: number[]) => ids.sort((a, b) => a - b).map((c) => classNames[c] ?? `class ${c}`)
  return {
    sharedLabels: names([...q].filter((c) => r.has(c))),
    queryOnlyLabels: names([...q].filter((c) => !r.has(c))),
    resultOnlyLabels: names([...r].filter((c) => !q.has(c))),
  }
}

/** The stored objects (with embeddings) of a library photo, as result objects. */
export function resultObjects(target: SearchTarget, photoId: number): ResultObject[] {
  return storedObjects(target, photoId).map((o) => ({ id: o.objectId!, classId: o.classId, className: o.className, box: o.box, embedding: o.embedding }))
}

/** The explanation of library photo `photoId` as a result of `query`. */
export function explainResult(ctx: SearchContext, query: ResolvedQuery, photoId: number, labels: PhotoLabelCache): Explanation {
  return {
    ...matchObjects(query.objects, resultObjects(ctx, photoId)),
    ...compareLabels(query.labels, labels.positives(photoId), ctx.classNames),
  }
}
