import { describe, expect, it } from 'vitest'
import { gatLayer, gcnLayer, type GatLayerParams } from '../../src/shared/math/gat.js'
import { seededRandom } from '../../src/shared/math/vector.js'

function params(heads: number, dIn: number, dOut: number, seed: number): GatLayerParams {
  const r = seededRandom(seed)
  const rnd = (n: number) => Float32Array.from({ length: n }, () => r() - 0.5)
  return { heads, dIn, dOut, weight: rnd(heads * dOut * dIn), attnSrc: rnd(heads * dOut), attnDst: rnd(heads * dOut), activation: 'elu', negativeSlope: 0.2 }
}

describe('gatLayer', () => {
  const n = 4
  const x = Float32Array.from({ length: n * 6 }, (_, k) => Math.sin(k))
  const adj = [1, 0.5, 0, 0.2, 0.5, 1, 0.3, 0, 0, 0.3, 1, 0, 0.2, 0, 0, 1]

  it('gives attention rows that sum to 1 and are zero off the graph', () => {
    const out = gatLayer(x, n, adj, params(8, 6, 4, 1))
    expect(out.attention).toHaveLength(8)
    expect(out.features).toHaveLength(n * 32)
    for (const alpha of out.attention) {
      for (let i = 0; i < n; i++) {
        const row = alpha.slice(i * n, (i + 1) * n)
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6)
        row.forEach((v, j) => (adj[i * n + j] === 0 ? expect(v).toBe(0) : expect(v).toBeGreaterThan(0)))
      }
    }
  })

  it('with zero attention vectors reduces to aggregation weighted by A', () => {
    const p = params(1, 6, 4, 2)
    p.attnSrc.fill(0)
    p.attnDst.fill(0)
    const { attention } = gatLayer(x, n, adj, p)
    expect(attention[0][0]).toBeCloseTo(1 / 1.7, 6)
    expect(attention[0][1]).toBeCloseTo(0.5 / 1.7, 6)
  })

  it('GCN ablation uses the symmetrically normalised adjacency', () => {
    const { attention } = gcnLayer(x, n, adj, params(2, 6, 4, 3))
    // degrees: node 0 = 1.7, node 3 = 1.2
    expect(attention[0][3]).toBeCloseTo(0.2 / Math.sqrt(1.7 * 1.2), 6)
  })
})
