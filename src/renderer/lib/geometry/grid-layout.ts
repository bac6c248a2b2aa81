/**
 * Arithmetic of the virtualised thumbnail grid: columns for a width, rows for a total, which pages
 * of `photos.list` cover the rows on screen, and where keyboard focus moves.
 */

/** Columns of square tiles at least `minTile` wide (with `gap` between) that fit `width`; at least 1. */
export function gridColumns(width: number, minTile: number, gap: number): number {
  if (!(width > 0) || !(minTile > 0)) return 1
  return Math.max(1, Math.floor((width + gap) / (minTile + gap)))
}

/** Side of a tile when `columns` tiles and their gaps fill `width`. */
export function tileSize(width: number, columns: number, gap: number): number {
  return Math.max(0, (width - gap * (columns - 1)) / Math.max(1, columns))
}

/** Rows needed for `total` items in `columns` columns. */
export function rowCount(total: number, columns: number): number {
  return total <= 0 ? 0 : Math.ceil(total / Math.max(1, columns))
}

/** Item index range `[start, end)` of rows `firstRow..lastRow` (inclusive), clipped to `total`. */
export function rowsToItems(firstRow: number, lastRow: number, columns: number, total: number): { start: number; end: number } {
  const start = Math.max(0, Math.min(total, firstRow * columns))
  const end = Math.max(start, Math.min(total, (lastRow + 1) * columns))
  return { start, end }
}

/** Page numbers (0-based, `pageSize` items each) that hold items `[start, end)`. */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return []
  const first = Math.floor(start / pageSize)
  const last = Math.floor((end - 1) / pageSize)
  const pages: number[] = []
  for (let p = first; p <= last; p++) pages.push(p)
  return pages
}

/** The page and slot of item `index`. */
export function pageSlot(index: number, pageSize: number): { page: number; slot: number } {
  return { page: Math.floor(index / pageSize), slot: index % pageSize }
}

/** Keys that move focus in the grid. */
export type GridKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown'

/** True for a key the grid handles. */
export function isGridKey(key: string): key is GridKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(key)
}

/**
 * Where focus goes from `index` on `key`, in a grid of `columns` columns, `total` items and
 * `pageRows` rows per screen. Up/down keep the column (to the last item on a short last row).
 */
export function moveFocus(index: number, key: GridKey, columns: number, total: number, pageRows: number): number {
  if (total <= 0) return -1
  const last = total - 1
  const clamp = (i: number) => Math.max(0, Math.min(last, i))
  if (index < 0) return 0
  switch (key) {
    case 'ArrowLeft':
      return clamp(index - 1)
    case 'ArrowRight':
      return clamp(index + 1)
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index
    case 'ArrowDown':
      return index + columns <= last ? index + columns : Math.floor(index / columns) < Math.floor(last / columns) ? last : index
    case 'Home':
      return 0
    case 'End':
      return last
    case 'PageUp':
      return clamp(index - columns * Math.max(1, pageRows))
    case 'PageDown':
      return clamp(index + columns * Math.max(1, pageRows))
  }
}
