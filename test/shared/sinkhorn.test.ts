import { describe, expect, it } from 'vitest'
import { adjacencyFromPlan, labelMarginal, sinkhorn } from '../../src/shared/math/sinkhorn.js'
import { seededRandom } from '../../src/shared/math/vector.js'

describe('sinkhorn', () => {
  it('meets both marginals to the tolerance and reports convergence', () => {
    const rand = seededRandom(7)
    const n = 5
    const m = 80
    const cost = Float64Array.from({ length: n * m }, () => rand() * 2)
    const a = new Float64Array(n).fill(1 / n)
    const b = labelMarginal(cost, a, m)
    const t = sinkhorn(cost, a, b, { epsilon: 0.05, tolerance: 1e-7 })
    expect(t.converged).toBe(true)
    expect(t.marginalError).toBeLessThan(1e-7)
    for (let i = 0; i < n; i++) expect(t.plan.slice(i * m, (i + 1) * m).reduce((s, v) => s + v, 0)).toBeCloseTo(a[i], 6)
    for (let j = 0; j < m; j++) {
      let s = 0
      for (let i = 0; i < n; i++) s += t.plan[i * m + j]
      expect(Math.abs(s - b[j])).toBeLessThan(1e-7)
    }
  })

  it('over-relaxation reaches the plain solution in far fewer sweeps', () => {
    const rand = seededRandom(11)
    for (const n of [2, 9, 33]) {
      const m = 80
      const cost = Float64Array.from({ length: n * m }, () => 0.4 + rand() * 1.6)
      for (let i = 0; i < n; i++) cost[i * m + Math.floor(rand() * m)] = rand() * 0.2
      const a = new Float64Array(n).fill(1 / n)
      const b = labelMarginal(cost, a, m)
      const opts = { epsilon: 0.05, tolerance: 1e-7, maxIterations: 20000 }
      const plain = sinkhorn(cost, a, b, { ...opts, overRelaxation: 1 })
      const fast = sinkhorn(cost, a, b, opts)
      expect(plain.converged && fast.converged).toBe(true)
      expect(fast.iterations).toBeLessThan(plain.iterations / 2)
      for (let k = 0; k < n * m; k++) expect(Math.abs(fast.plan[k] - plain.plan[k])).toBeLessThan(1e-6)
    }
    expect(() => sinkhorn([0, 1, 1, 0], [0.5, 0.5], [0.5, 0.5], { overRelaxation: 2 })).toThrow(/overRelaxation 2 must be in \[1, 2\)/)
  })

  it('tends to the optimal assignment as epsilon shrinks', () => {
    // 2x2 problem whose optimum is the diagonal
    const cost = [0, 1, 1, 0]
    const t = sinkhorn(cost, [0.5, 0.5], [0.5, 0.5], { epsilon: 0.01 })
    expect(t.plan[0]).toBeCloseTo(0.5, 6)
    expect(t.plan[1]).toBeCloseTo(0, 6)
    expect(t.cost).toBeCloseTo(0, 6)
  })

  it('reports non-convergence when the iteration budget is too small', () => {
    const rand = seededRandom(3)
    const cost = Float64Array.from({ length: 6 * 40 }, () => rand())
    const t = sinkhorn(cost, new Float64Array(6).fill(1 / 6), new Float64Array(40).fill(1 / 40), { epsilon: 0.01, maxIterations: 2 })
    expect(t.converged).toBe(false)
    expect(t.iterations).toBe(2)
  })

  it('refuses an epsilon so small that the kernel underflows', () => {
    expect(() => sinkhorn([0, 2, 2, 0], [0.5, 0.5], [0.5, 0.5], { epsilon: 0.001 })).toThrow(/epsilon 0.001 is too small/)
  })

  it('rejects marginals with different totals', () => {
    expect(() => sinkhorn([0, 0], [1], [0.5, 0.2])).toThrow(/marginals sum/)
  })

  it('links objects that transport to the same labels', () => {
    // objects 0 and 1 are cheap to move to label 0; object 2 to label 2
    const cost = [0, 1, 1, 0.05, 1, 1, 1, 1, 0]
    const a = [1 / 3, 1 / 3, 1 / 3]
    const t = sinkhorn(cost, a, labelMarginal(cost, a, 3), { epsilon: 0.05 })
    const adj = adjacencyFromPlan(t)
    expect(adj[0]).toBe(1)
    expect(adj[1]).toBeGreaterThan(0.9)
    expect(adj[2]).toBeLessThan(0.1)
    expect(adj[1 * 3 + 0]).toBe(adj[0 * 3 + 1])
  })
})
