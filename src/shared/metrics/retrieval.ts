/**
 * Retrieval metrics under the papers' protocol: every image queries all others; relevant = shares
 * at least one label. mAP over queries, P@K, and NDCG@10 graded by the number of shared labels.
 * All values are percentages (0..100). A query with no relevant image anywhere (it shares no
 * label with any other image) has no meaningful score and is skipped by every metric alike.
 */

/** The retrieval table of one method. */
export interface RetrievalMetrics {
  mAP: number
  'P@1': number
  'P@5': number
  'P@10': number
  'NDCG@10': number
}

function sharedLabels(a: Set<number>, b: number[]): number {
  let n = 0
  for (const l of b) if (a.has(l)) n++
  return n
}

/** How many queries were scored, and how many were skipped for having no relevant image. */
export interface QueryCounts {
  queries: number
  skipped: number
}

/** Queries of `labels` that have at least one relevant image (shares a label with another image). */
export function queryCounts(labels: number[][]): QueryCounts {
  const skipped = labels.filter((mine, q) => {
    const set = new Set(mine)
    return !labels.some((other, i) => i !== q && sharedLabels(set, other) > 0)
  }).length
  return { queries: labels.length - skipped, skipped }
}

/**
 * `rankings[q]` = indices of the other images ordered by decreasing similarity to image q
 * (the query itself must not appear). `labels[i]` = class ids of image i. Queries without any
 * relevant image are skipped by every metric (see `queryCounts`); NaN when none is left.
 */
export function retrievalMetrics(rankings: number[][], labels: number[][]): RetrievalMetrics {
  let apSum = 0
  let n = 0
  const pAt = { 1: 0, 5: 0, 10: 0 }
  let ndcgSum = 0
  rankings.forEach((ranking, q) => {
    const mine = new Set(labels[q])
    const gains = ranking.map((i) => sharedLabels(mine, labels[i]))
    const relevantTotal = gains.filter((g) => g > 0).length
    if (relevantTotal === 0) return
    n++
    let hits = 0
    let sum = 0
    gains.forEach((g, r) => {
      if (g > 0) sum += ++hits / (r + 1)
    })
    apSum += sum / relevantTotal
    for (const k of [1, 5, 10] as const) pAt[k] += gains.slice(0, k).filter((g) => g > 0).length / k
    const dcg = (gs: number[]) => gs.slice(0, 10).reduce((s, g, r) => s + (2 ** g - 1) / Math.log2(r + 2), 0)
    ndcgSum += dcg(gains) / dcg([...gains].sort((a, b) => b - a))
  })
  return {
    mAP: (100 * apSum) / n,
    'P@1': (100 * pAt[1]) / n,
    'P@5': (100 * pAt[5]) / n,
    'P@10': (100 * pAt[10]) / n,
    'NDCG@10': (100 * ndcgSum) / n,
  }
}

/** Rankings by cosine similarity of unit vectors (all-pairs, excluding self). */
export function rankByCosine(vectors: Float32Array[]): number[][] {
  const n = vectors.length
  const sims = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0
      const a = vectors[i]
      const b = vectors[j]
      for (let k = 0; k < a.length; k++) s += a[k] * b[k]
      sims[i * n + j] = sims[j * n + i] = s
    }
  }
  return vectors.map((_, q) =>
    Array.from({ length: n }, (_, i) => i)
      .filter((i) => i !== q)
      .sort((a, b) => sims[q * n + b] - sims[q * n + a] || a - b),
  )
}
