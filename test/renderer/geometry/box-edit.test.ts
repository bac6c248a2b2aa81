import { describe, expect, it } from 'vitest'
import {
  digitClasses,
  dragBox,
  drawnBox,
  handleAt,
  handleCursor,
  handlePoint,
  HANDLES,
  insideBox,
  isUsableBox,
  moveBox,
  resizeBox,
  roundBox,
  sameBox,
  useClass,
} from '../../../src/renderer/lib/geometry/box-edit.js'
import type { Box } from '../../../src/shared/domain.js'

const BOX: Box = [100, 50, 300, 150]

describe('box editing geometry', () => {
  it('puts the eight handles on the corners and the middles of the sides', () => {
    expect(HANDLES.map((h) => handlePoint(BOX, h))).toEqual([
      { x: 100, y: 50 },
      { x: 200, y: 50 },
      { x: 300, y: 50 },
      { x: 300, y: 100 },
      { x: 300, y: 150 },
      { x: 200, y: 150 },
      { x: 100, y: 150 },
      { x: 100, y: 100 },
    ])
    expect(HANDLES.map(handleCursor)).toEqual(['nwse-resize', 'ns-resize', 'nesw-resize', 'ew-resize', 'nwse-resize', 'ns-resize', 'nesw-resize', 'ew-resize'])
  })

  it('finds the handle nearest to a point within a radius', () => {
    expect(handleAt(BOX, { x: 297, y: 152 }, 6)).toBe('se')
    expect(handleAt(BOX, { x: 203, y: 48 }, 6)).toBe('n')
    expect(handleAt(BOX, { x: 200, y: 100 }, 6)).toBeNull()
    // A tiny box: the handles crowd together, the nearest one wins.
    expect(handleAt([0, 0, 4, 4], { x: 4, y: 2.5 }, 6)).toBe('e')
    expect(insideBox(BOX, { x: 100, y: 150 })).toBe(true)
    expect(insideBox(BOX, { x: 99, y: 100 })).toBe(false)
  })

  it('moves a box by the drag, stopping at the edges of the photo without changing its size', () => {
    expect(moveBox(BOX, 20, -10, 640, 480)).toEqual([120, 40, 320, 140])
    expect(moveBox(BOX, -500, 1000, 640, 480)).toEqual([0, 380, 200, 480])
    expect(moveBox(BOX, 400, -60, 640, 480)).toEqual([440, 0, 640, 100])
  })

  it('resizes by a corner or a side, inside the photo, never flipping past the opposite edge', () => {
    expect(resizeBox(BOX, 'se', 40, 30, 640, 480)).toEqual([100, 50, 340, 180])
    expect(resizeBox(BOX, 'n', 40, -20, 640, 480)).toEqual([100, 30, 300, 150])
    expect(resizeBox(BOX, 'w', -150, 99, 640, 480)).toEqual([0, 50, 300, 150])
    expect(resizeBox(BOX, 'e', 1000, 0, 640, 480)).toEqual([100, 50, 640, 150])
    // Dragging the left edge past the right one stops at the minimum width.
    expect(resizeBox(BOX, 'nw', 500, 500, 640, 480, 4)).toEqual([296, 146, 300, 150])
  })

  it('draws a box from two corners in any order, clamped to the photo, and ignores clicks', () => {
    expect(drawnBox({ x: 300, y: 200 }, { x: 100, y: 50 }, 640, 480)).toEqual([100, 50, 300, 200])
    expect(drawnBox({ x: -20, y: 10 }, { x: 700, y: 600 }, 640, 480)).toEqual([0, 10, 640, 480])
    expect(isUsableBox([10, 10, 12, 40])).toBe(false)
    expect(isUsableBox([10, 10, 20, 40])).toBe(true)
  })

  it('turns a drag into the box it gives, whatever its kind', () => {
    expect(dragBox({ kind: 'draw', start: { x: 10, y: 10 } }, { x: 50, y: 30 }, 640, 480)).toEqual([10, 10, 50, 30])
    expect(dragBox({ kind: 'move', objectId: 1, start: { x: 150, y: 100 }, box: BOX }, { x: 160, y: 90 }, 640, 480)).toEqual([110, 40, 310, 140])
    expect(dragBox({ kind: 'resize', objectId: 1, handle: 'sw', start: { x: 100, y: 150 }, box: BOX }, { x: 90, y: 170 }, 640, 480)).toEqual([90, 50, 300, 170])
  })

  it('rounds boxes to tenths of a pixel and compares them at that precision', () => {
    expect(roundBox([1.234, 5.678, 10.05, 20])).toEqual([1.2, 5.7, 10.1, 20])
    expect(sameBox([1, 2, 3, 4], [1.04, 2, 3, 3.96])).toBe(true)
    expect(sameBox([1, 2, 3, 4], [1.2, 2, 3, 4])).toBe(false)
  })

  it('gives the digits the recent classes first, then the photo’s most boxed classes', () => {
    // The photo: three cars (2), one dog (16), two people (0).
    expect(digitClasses([16], [2, 16, 0, 2, 2, 0])).toEqual([16, 2, 0])
    expect(digitClasses([], [5, 3], 1)).toEqual([3])
    expect(useClass([1, 2, 3], 3)).toEqual([3, 1, 2])
    expect(useClass([1, 2, 3], 4, 3)).toEqual([4, 1, 2])
  })
})
