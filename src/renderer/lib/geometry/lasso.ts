/**
 * Lasso selection on the embedding map: a free-hand polygon (x, y interleaved, in data units),
 * the even-odd point-in-polygon test, and the points of an index inside a polygon. Pure.
 */
import { visitCellsInRect, type Bounds, type PointIndex } from './point-index.js'

/** A polygon as x0, y0, x1, y1, ... (closed implicitly: the last vertex joins the first). */
export type Polygon = ArrayLike<number>

/** Bounds of a polygon's vertices. */
export function polygonBounds(poly: Polygon): Bounds {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let k = 0; k + 1 < poly.length; k += 2) {
    minX = Math.min(minX, poly[k])
    maxX = Math.max(maxX, poly[k])
    minY = Math.min(minY, poly[k + 1])
    maxY = Math.max(maxY, poly[k + 1])
  }
  return { minX, minY, maxX, maxY }
}

/**
 * True when (x, y) is inside `poly` by the even-odd rule (crossings of a ray to +x). A polygon of
 * fewer than 3 vertices contains nothing; a self-crossing lasso selects what it encloses an odd
 * number of times, as drawing programs do.
 */
export function pointInPolygon(x: number, y: number, poly: Polygon): boolean {
  const n = Math.floor(poly.length / 2)
  if (n < 3) return false
  let inside = false
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i]
    const yi = poly[2 * i + 1]
    const xj = poly[2 * j]
    const yj = poly[2 * j + 1]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Indices of the points of `index` inside `poly`, ascending; `accept(i)` can exclude points. */
export function pointsInPolygon(index: PointIndex, poly: Polygon, accept?: (i: number) => boolean): Int32Array {
  if (poly.length < 6) return new Int32Array(0)
  const b = polygonBounds(poly)
  const { xy } = index
  const hits: number[] = []
  visitCellsInRect(index, b.minX, b.minY, b.maxX, b.maxY, (i) => {
    const x = xy[2 * i]
    const y = xy[2 * i + 1]
    if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY) return
    if ((!accept || accept(i)) && pointInPolygon(x, y, poly)) hits.push(i)
  })
  return Int32Array.from(hits).sort()
}

/**
 * Appends (x, y) to a lasso being drawn when it is at least `minStep` from the last vertex (in
 * the caller's units, usually screen pixels), so a slow drag does not make thousands of vertices.
 * Returns whether it was added.
 */
export function extendLasso(path: number[], x: number, y: number, minStep: number): boolean {
  const n = path.length
  if (n >= 2) {
    const dx = x - path[n - 2]
    const dy = y - path[n - 1]
    if (dx * dx + dy * dy < minStep * minStep) return false
  }
  path.push(x, y)
  return true
}
