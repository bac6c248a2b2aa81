import { describe, expect, it } from 'vitest'
import { gridColumns, isGridKey, moveFocus, pageSlot, pagesFor, rowCount, rowsToItems, tileSize } from '../../../src/renderer/lib/geometry/grid-layout.js'

describe('virtual grid paging math', () => {
  it('fits columns of a minimum tile size and sizes the tiles to fill the width', () => {
    expect(gridColumns(1000, 180, 8)).toBe(5)
    expect(gridColumns(100, 180, 8)).toBe(1)
    expect(gridColumns(0, 180, 8)).toBe(1)
    expect(tileSize(1000, 5, 8)).toBeCloseTo(193.6)
  })

  it('counts rows and maps visible rows to the pages that hold them', () => {
    expect(rowCount(100_000, 7)).toBe(14_286)
    expect(rowCount(0, 7)).toBe(0)
    expect(rowsToItems(10, 14, 7, 100_000)).toEqual({ start: 70, end: 105 })
    expect(rowsToItems(14_280, 14_290, 7, 100_000)).toEqual({ start: 99_960, end: 100_000 })
    expect(pagesFor(70, 105, 200)).toEqual([0])
    expect(pagesFor(190, 410, 200)).toEqual([0, 1, 2])
    expect(pagesFor(400, 400, 200)).toEqual([])
    expect(pageSlot(99_999, 200)).toEqual({ page: 499, slot: 199 })
  })

  it('moves keyboard focus like a file manager', () => {
    // 5 columns, 23 items: the last row holds 20..22.
    expect(moveFocus(-1, 'ArrowRight', 5, 23, 3)).toBe(0)
    expect(moveFocus(0, 'ArrowLeft', 5, 23, 3)).toBe(0)
    expect(moveFocus(4, 'ArrowRight', 5, 23, 3)).toBe(5)
    expect(moveFocus(7, 'ArrowDown', 5, 23, 3)).toBe(12)
    expect(moveFocus(18, 'ArrowDown', 5, 23, 3)).toBe(22)
    expect(moveFocus(21, 'ArrowDown', 5, 23, 3)).toBe(21)
    expect(moveFocus(3, 'ArrowUp', 5, 23, 3)).toBe(3)
    expect(moveFocus(12, 'PageDown', 5, 23, 3)).toBe(22)
    expect(moveFocus(12, 'PageUp', 5, 23, 3)).toBe(0)
    expect(moveFocus(12, 'End', 5, 23, 3)).toBe(22)
    expect(moveFocus(12, 'Home', 5, 23, 3)).toBe(0)
    expect(moveFocus(0, 'ArrowDown', 5, 0, 3)).toBe(-1)
    expect(isGridKey('ArrowDown')).toBe(true)
    expect(isGridKey('Enter')).toBe(false)
  })
})
