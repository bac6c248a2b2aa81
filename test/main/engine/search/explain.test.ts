import { describe, expect, it } from 'vitest'
import { compareLabels, DUMMY_COST, matchObjects, type ResultObject } from '../../../../src/main/engine/search/explain.js'
import type { QueryObject } from '../../../../src/main/engine/search/types.js'
import type { Box } from '../../../../src/shared/domain.js'
import { l2normalize } from '../../../../src/shared/math/vector.js'

const box: Box = [0, 0, 10, 10]
const unit = (...v: number[]) => l2normalize(v)
const q = (classId: number, embedding: Float32Array): QueryObject =>
  ({ classId, className: `c${classId}`, box, score: 0.9, origin: 'detected', embedding })
const r = (id: number, classId: number, embedding: Float32Array): ResultObject =>
  ({ id, classId, className: `c${classId}`, box, embedding })

describe('matchObjects', () => {
  it('matches each object to its own copy at zero cost, whatever the order', () => {
    const e = [unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0.2)]
    const m = matchObjects(e.map((v, i) => q(i, v)), [r(12, 2, e[2]), r(10, 0, e[0]), r(11, 1, e[1])])
    expect(m.matches.map((x) => [x.queryObject.index, x.resultObject.id])).toEqual(expect.arrayContaining([[0, 10], [1, 11], [2, 12]]))
    expect(m.matches).toHaveLength(3)
    for (const x of m.matches) {
      expect(x.cost).toBeCloseTo(0, 6)
      expect(x.mass).toBeGreaterThan(0.99)
    }
    expect(m.unmatchedQuery).toEqual([])
    expect(m.unmatchedResult).toEqual([])
  })

  it('pairs by lowest cost, not by order, and reports the cost 1 - cos', () => {
    const a = unit(1, 0.1, 0)
    const b = unit(0, 1, 0.1)
    const m = matchObjects([q(0, a), q(1, b)], [r(1, 1, unit(0.1, 1, 0)), r(2, 0, unit(1, 0, 0.1))])
    const pairs = Object.fromEntries(m.matches.map((x) => [x.queryObject.index, x.resultObject.id]))
    expect(pairs).toEqual({ 0: 2, 1: 1 })
    const c = m.matches.find((x) => x.queryObject.index === 0)!.cost
    expect(c).toBeCloseTo(1 - (a[0] * unit(1, 0, 0.1)[0] + a[1] * 0 + a[2] * unit(1, 0, 0.1)[2]), 6)
  })

  it('leaves the extra objects of the larger side unmatched (dummy nodes)', () => {
    const m = matchObjects([q(0, unit(1, 0, 0))], [r(1, 5, unit(0, 1, 0)), r(2, 0, unit(1, 0.05, 0)), r(3, 6, unit(0, 0, 1))])
    expect(m.matches.map((x) => x.resultObject.id)).toEqual([2])
    expect(m.unmatchedResult).toEqual([1, 3])
    const reverse = matchObjects([q(5, unit(0, 1, 0)), q(0, unit(1, 0.05, 0)), q(6, unit(0, 0, 1))], [r(9, 0, unit(1, 0, 0))])
    expect(reverse.matches.map((x) => x.queryObject.index)).toEqual([1])
    expect(reverse.unmatchedQuery).toEqual([0, 2])
  })

  it('does not report a pair costing more than leaving the object unmatched', () => {
    const m = matchObjects([q(0, unit(1, 0)), q(1, unit(0, 1))], [r(1, 0, unit(1, 0.02)), r(2, 9, unit(-1, 0.1))])
    expect(m.matches.map((x) => [x.queryObject.index, x.resultObject.id])).toEqual([[0, 1]])
    expect(m.unmatchedQuery).toEqual([1])
    expect(m.unmatchedResult).toEqual([2])
    expect(m.matches[0].cost).toBeLessThan(DUMMY_COST)
  })

  it('handles empty sides and is deterministic', () => {
    expect(matchObjects([], [r(1, 0, unit(1, 0))])).toMatchObject({ matches: [], unmatchedQuery: [], unmatchedResult: [1] })
    expect(matchObjects([q(0, unit(1, 0))], [])).toMatchObject({ matches: [], unmatchedQuery: [0], unmatchedResult: [] })
    const same = [unit(1, 0), unit(1, 0), unit(0.9, 0.1)]
    const run = () => matchObjects(same.map((v, i) => q(i, v)), same.map((v, i) => r(i + 1, i, v)))
    expect(run()).toEqual(run())
    expect(run().matches).toHaveLength(3)
  })
})

describe('compareLabels', () => {
  it('splits labels into shared, query-only and result-only names', () => {
    expect(compareLabels([16, 0, 2], [0, 16, 15], ['person', 'bicycle', 'car', ...Array(12).fill('x'), 'cat', 'dog'])).toEqual({
      sharedLabels: ['person', 'dog'], queryOnlyLabels: ['car'], resultOnlyLabels: ['cat'],
    })
  })
})
