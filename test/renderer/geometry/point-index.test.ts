import { describe, expect, it } from 'vitest'
import { buildPointIndex, nearestPoint, pointBounds, visitCellsInRect } from '../../../src/renderer/lib/geometry/point-index.js'

/** A seeded LCG, so the random layouts are the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

function cloud(n: number, seed = 1): Float32Array {
  const r = random(seed)
  const xy = new Float32Array(2 * n)
  for (let i = 0; i < 2 * n; i++) xy[i] = r() * 20 - 10
  return xy
}

function bruteNearest(xy: Float32Array, x: number, y: number, maxDist: number): number {
  let best = -1
  let bestD = maxDist * maxDist
  for (let i = 0; i < xy.length / 2; i++) {
    const d = (xy[2 * i] - x) ** 2 + (xy[2 * i + 1] - y) ** 2
    if (d < bestD || (d === bestD && i > best)) [best, bestD] = [i, d]
  }
  return best
}

describe('point index', () => {
  it('buckets every point exactly once', () => {
    const xy = cloud(5000)
    const index = buildPointIndex(xy)
    expect(index.starts[index.cols * index.rows]).toBe(5000)
    expect([...index.order].sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => i))
    const seen: number[] = []
    visitCellsInRect(index, -100, -100, 100, 100, (i) => seen.push(i))
    expect(seen).toHaveLength(5000)
  })

  it('finds the same nearest point as a brute-force scan, or none beyond the radius', () => {
    const xy = cloud(20_000, 7)
    const index = buildPointIndex(xy)
    const r = random(3)
    for (let q = 0; q < 300; q++) {
      const x = r() * 24 - 12
      const y = r() * 24 - 12
      const radius = r() * 0.3
      expect(nearestPoint(index, x, y, radius)).toBe(bruteNearest(xy, x, y, radius))
    }
    expect(nearestPoint(index, 50, 50, 1)).toBe(-1)
  })

  it('skips points the caller excludes', () => {
    const xy = Float32Array.from([0, 0, 1, 0, 5, 5])
    const index = buildPointIndex(xy)
    expect(nearestPoint(index, 0.1, 0, 2)).toBe(0)
    expect(nearestPoint(index, 0.1, 0, 2, (i) => i !== 0)).toBe(1)
  })

  it('copes with no points, one point and points all in one place', () => {
    expect(pointBounds(new Float32Array(0), 0)).toEqual({ minX: 0, minY: 0, maxX: 1, maxY: 1 })
    const empty = buildPointIndex(new Float32Array(0))
    expect(nearestPoint(empty, 0, 0, 10)).toBe(-1)
    const same = buildPointIndex(new Float32Array(2000).fill(3))
    expect(same.cols * same.rows).toBeLessThan(10)
    expect(nearestPoint(same, 3, 3, 0.01)).toBe(999)
  })
})
