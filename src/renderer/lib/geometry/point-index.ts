/**
 * A uniform grid over 2-D points (the embedding map) for picking and range queries at 100,000
 * points: points are bucketed by cell with a counting sort into two typed arrays (cell starts,
 * point order), so a query touches only the cells it overlaps. Pure, no DOM.
 */

/** Axis-aligned bounds of a set of points. */
export interface Bounds {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/** The grid: `order[starts[c]..starts[c+1])` are the points in cell `c` (row-major). */
export interface PointIndex {
  readonly xy: Float32Array
  readonly count: number
  readonly bounds: Bounds
  /** Side of a (square) cell in data units. */
  readonly cell: number
  readonly cols: number
  readonly rows: number
  readonly starts: Int32Array
  readonly order: Int32Array
}

/** Bounds of the first `count` points of `xy` (x, y interleaved); a unit box at 0 when empty. */
export function pointBounds(xy: ArrayLike<number>, count: number): Bounds {
  if (count === 0) return { minX: 0, minY: 0, maxX: 1, maxY: 1 }
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (let i = 0; i < count; i++) {
    const x = xy[2 * i]
    const y = xy[2 * i + 1]
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  return { minX, minY, maxX, maxY }
}

/** Builds the grid with about `perCell` points per occupied cell on average (uniform spread). */
export function buildPointIndex(xy: Float32Array, count = xy.length / 2, perCell = 8): PointIndex {
  const bounds = pointBounds(xy, count)
  const w = Math.max(bounds.maxX - bounds.minX, 1e-9)
  const h = Math.max(bounds.maxY - bounds.minY, 1e-9)
  const cells = Math.max(1, Math.min(count / perCell, 1 << 20))
  let cell = Math.sqrt((w * h) / cells)
  // A degenerate spread (a line, or one spot) must not make millions of cells.
  cell = Math.max(cell, Math.max(w, h) / 512, 1e-6)
  const cols = Math.max(1, Math.ceil(w / cell) + 1)
  const rows = Math.max(1, Math.ceil(h / cell) + 1)
  const cellOf = new Int32Array(count)
  const starts = new Int32Array(cols * rows + 1)
  for (let i = 0; i < count; i++) {
    const cx = Math.min(cols - 1, Math.floor((xy[2 * i] - bounds.minX) / cell))
    const cy = Math.min(rows - 1, Math.floor((xy[2 * i + 1] - bounds.minY) / cell))
    const c = cy * cols + cx
    cellOf[i] = c
    starts[c + 1]++
  }
  for (let c = 0; c < cols * rows; c++) starts[c + 1] += starts[c]
  const fill = starts.slice(0, cols * rows)
  const order = new Int32Array(count)
  for (let i = 0; i < count; i++) order[fill[cellOf[i]]++] = i
  return { xy, count, bounds, cell, cols, rows, starts, order }
}

/** Calls `visit(i)` for every point whose cell overlaps the rectangle (callers test the exact shape). */
export function visitCellsInRect(index: PointIndex, x1: number, y1: number, x2: number, y2: number, visit: (i: number) => void): void {
  const { bounds, cell, cols, rows, starts, order } = index
  if (index.count === 0) return
  const c1 = Math.max(0, Math.floor((Math.min(x1, x2) - bounds.minX) / cell))
  const c2 = Math.min(cols - 1, Math.floor((Math.max(x1, x2) - bounds.minX) / cell))
  const r1 = Math.max(0, Math.floor((Math.min(y1, y2) - bounds.minY) / cell))
  const r2 = Math.min(rows - 1, Math.floor((Math.max(y1, y2) - bounds.minY) / cell))
  for (let r = r1; r <= r2; r++) {
    for (let c = c1; c <= c2; c++) {
      const k = r * cols + c
      for (let s = starts[k]; s < starts[k + 1]; s++) visit(order[s])
    }
  }
}

/**
 * The point nearest to (x, y) within `maxDist` (data units), or -1. `accept(i)` can exclude
 * points (hidden ones). Ties go to the later point (drawn on top).
 */
export function nearestPoint(index: PointIndex, x: number, y: number, maxDist: number, accept?: (i: number) => boolean): number {
  const { xy } = index
  let best = -1
  let bestD = maxDist * maxDist
  visitCellsInRect(index, x - maxDist, y - maxDist, x + maxDist, y + maxDist, (i) => {
    const dx = xy[2 * i] - x
    const dy = xy[2 * i + 1] - y
    const d = dx * dx + dy * dy
    if (d > bestD || (d === bestD && i < best) || (accept && !accept(i))) return
    bestD = d
    best = i
  })
  return best
}
