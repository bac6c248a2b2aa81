/**
 * Multi-label classification metrics as reported by the papers: mAP over classes, and per-class
 * (CP, CR, CF1) and overall (OP, OR, OF1) precision/recall/F1 at a score threshold.
 * All values are percentages (0..100).
 */

/** Average precision of one ranking: scores and binary relevance. NaN when nothing is relevant. */
export function averagePrecision(scores: ArrayLike<number>, relevant: ArrayLike<boolean>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a])
  let hits = 0
  let sum = 0
  order.forEach((idx, rank) => {
    if (relevant[idx]) {
      hits++
      sum += hits / (rank + 1)
    }
  })
  return hits === 0 ? NaN : sum / hits
}

/** The papers' classification table. */
export interface ClassificationMetrics {
  mAP: number
  CP: number
  CR: number
  CF1: number
  OP: number
  OR: number
  OF1: number
}

/**
 * `scores[i][c]` in [0,1] and `labels[i]` = ground-truth class ids of image i.
 * Classes with no positive image are left out of mAP and of the per-class averages.
 */
export function classificationMetrics(scores: ArrayLike<number>[], labels: number[][], numClasses: number, threshold = 0.5): ClassificationMetrics {
  const truth = labels.map((l) => new Set(l))
  let apSum = 0
  let apCount = 0
  let cpSum = 0
  let crSum = 0
  let classCount = 0
  let tpAll = 0
  let predAll = 0
  let gtAll = 0
  for (let c = 0; c < numClasses; c++) {
    const relevant = truth.map((t) => t.has(c))
    const gt = relevant.filter(Boolean).length
    let tp = 0
    let pred = 0
    scores.forEach((s, i) => {
      if (s[c] >= threshold) {
        pred++
        if (relevant[i]) tp++
      }
    })
    tpAll += tp
    predAll += pred
    gtAll += gt
    if (gt === 0) continue
    apSum += averagePrecision(scores.map((s) => s[c]), relevant)
    apCount++
    cpSum += pred > 0 ? tp / pred : 0
    crSum += tp / gt
    classCount++
  }
  const CP = (100 * cpSum) / classCount
  const CR = (100 * crSum) / classCount
  const OP = predAll > 0 ? (100 * tpAll) / predAll : 0
  const OR = (100 * tpAll) / gtAll
  const f1 = (p: number, r: number) => (p + r > 0 ? (2 * p * r) / (p + r) : 0)
  return { mAP: (100 * apSum) / apCount, CP, CR, CF1: f1(CP, CR), OP, OR, OF1: f1(OP, OR) }
}
