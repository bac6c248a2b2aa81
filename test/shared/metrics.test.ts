import { describe, expect, it } from 'vitest'
import { averagePrecision, classificationMetrics } from '../../src/shared/metrics/classification.js'
import { queryCounts, rankByCosine, retrievalMetrics } from '../../src/shared/metrics/retrieval.js'

describe('classification metrics', () => {
  it('computes AP by hand', () => {
    // ranking: R N R -> (1/1 + 2/3) / 2
    expect(averagePrecision([0.9, 0.8, 0.7], [true, false, true])).toBeCloseTo((1 + 2 / 3) / 2, 10)
  })
  it('computes CP/CR/OP/OR at 0.5', () => {
    const scores = [[0.9, 0.6], [0.4, 0.7], [0.8, 0.1]]
    const labels = [[0], [1], [1]]
    const m = classificationMetrics(scores, labels, 2)
    // class 0: predicted {0,2}, tp 1 -> P 0.5, R 1; class 1: predicted {0,1}, tp 1 -> P .5, R .5
    expect(m.CP).toBeCloseTo(50)
    expect(m.CR).toBeCloseTo(75)
    expect(m.OP).toBeCloseTo(50)
    expect(m.OR).toBeCloseTo((100 * 2) / 3)
    // class 0 AP 1; class 1 ranking 1(0.7) 0(0.6) 2(0.1) = R N R -> (1 + 2/3) / 2
    expect(m.mAP).toBeCloseTo((100 * (1 + (1 + 2 / 3) / 2)) / 2)
  })
})

describe('retrieval metrics', () => {
  it('scores a perfect and a reversed ranking', () => {
    const labels = [[0], [0], [1], [0, 1]]
    const good = [[1, 3, 2], [0, 3, 2], [3, 0, 1], [0, 2, 1]]
    const m = retrievalMetrics(good, labels)
    expect(m['P@1']).toBe(100)
    expect(m.mAP).toBe(100)
    const bad = [[2, 3, 1], [2, 3, 0], [0, 1, 3], [0, 2, 1]]
    expect(retrievalMetrics(bad, labels).mAP).toBeLessThan(100)
  })
  it('skips a query with no relevant image in every metric alike, and counts it', () => {
    // Image 2 shares no label with anyone: it is skipped, and the others' perfect rankings score 100.
    const labels = [[0], [0], [5]]
    const rankings = [[1, 2], [0, 2], [0, 1]]
    const m = retrievalMetrics(rankings, labels)
    expect(m).toEqual({ mAP: 100, 'P@1': 100, 'P@5': 20, 'P@10': 10, 'NDCG@10': 100 })
    expect(queryCounts(labels)).toEqual({ queries: 2, skipped: 1 })
    expect(Number.isNaN(retrievalMetrics([[1], [0]], [[1], [2]]).mAP)).toBe(true) // nothing left to score
  })
  it('ranks by cosine without the query itself', () => {
    const v = [Float32Array.of(1, 0), Float32Array.of(0.9, 0.1), Float32Array.of(0, 1)]
    expect(rankByCosine(v)[0]).toEqual([1, 2])
  })
})
