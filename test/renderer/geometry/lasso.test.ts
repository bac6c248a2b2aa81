import { describe, expect, it } from 'vitest'
import { extendLasso, pointInPolygon, pointsInPolygon, polygonBounds } from '../../../src/renderer/lib/geometry/lasso.js'
import { buildPointIndex } from '../../../src/renderer/lib/geometry/point-index.js'

const square = [0, 0, 10, 0, 10, 10, 0, 10]
/** A "C" shape: the notch (4..10 x 3..7) is outside. */
const cShape = [0, 0, 10, 0, 10, 3, 4, 3, 4, 7, 10, 7, 10, 10, 0, 10]

describe('lasso', () => {
  it('tells inside from outside for convex and concave polygons', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true)
    expect(pointInPolygon(11, 5, square)).toBe(false)
    expect(pointInPolygon(-0.1, 5, square)).toBe(false)
    expect(pointInPolygon(2, 5, cShape)).toBe(true)
    expect(pointInPolygon(7, 5, cShape)).toBe(false)
    expect(pointInPolygon(7, 8, cShape)).toBe(true)
    expect(pointInPolygon(1, 1, [0, 0, 5, 5])).toBe(false)
  })

  it('uses the even-odd rule for a self-crossing lasso (a bow tie)', () => {
    const bowTie = [0, 0, 10, 10, 10, 0, 0, 10]
    expect(pointInPolygon(2, 5, bowTie)).toBe(true)
    expect(pointInPolygon(5, 2, bowTie)).toBe(false)
  })

  it('selects exactly the points a brute-force test selects, ascending', () => {
    const n = 10_000
    const xy = new Float32Array(2 * n)
    for (let i = 0; i < n; i++) {
      xy[2 * i] = ((i * 7919) % 1000) / 50
      xy[2 * i + 1] = ((i * 104729) % 997) / 50
    }
    const poly = cShape.map((v) => v * 1.5 + 2)
    const index = buildPointIndex(xy)
    const hits = pointsInPolygon(index, poly)
    const brute = Array.from({ length: n }, (_, i) => i).filter((i) => pointInPolygon(xy[2 * i], xy[2 * i + 1], poly))
    expect(brute.length).toBeGreaterThan(100)
    expect([...hits]).toEqual(brute)
    expect([...pointsInPolygon(index, poly, (i) => i % 2 === 0)]).toEqual(brute.filter((i) => i % 2 === 0))
    expect(pointsInPolygon(index, [0, 0, 1, 1]).length).toBe(0)
  })

  it('bounds a polygon and thins the vertices of a slow drag', () => {
    expect(polygonBounds(cShape)).toEqual({ minX: 0, minY: 0, maxX: 10, maxY: 10 })
    const path: number[] = []
    expect(extendLasso(path, 0, 0, 3)).toBe(true)
    expect(extendLasso(path, 1, 1, 3)).toBe(false)
    expect(extendLasso(path, 3, 0, 3)).toBe(true)
    expect(path).toEqual([0, 0, 3, 0])
  })
})
