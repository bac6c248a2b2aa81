import { describe, expect, it } from 'vitest'
import { placeTip } from '../../../src/renderer/lib/geometry/tooltip.js'

describe('placeTip', () => {
  it('puts the tip right of a box when it fits, else left of it', () => {
    expect(placeTip([100, 50, 200, 150], 180, 90, 800, 600)).toEqual({ left: 208, top: 50 })
    expect(placeTip([500, 50, 700, 150], 180, 90, 800, 600)).toEqual({ left: 312, top: 50 })
  })

  it('keeps the tip inside the frame for a box as wide as the photo', () => {
    // The car covering the whole photo: no room on either side, so inside the box's right edge.
    const tip = placeTip([2, 10, 638, 420], 180, 90, 640, 427)
    expect(tip).toEqual({ left: 450, top: 10 })
    expect(tip.left + 180).toBeLessThanOrEqual(640)
  })

  it('clamps vertically near the bottom and never goes negative in a tiny frame', () => {
    expect(placeTip([10, 380, 60, 420], 180, 90, 640, 427).top).toBe(337)
    expect(placeTip([0, 0, 50, 50], 180, 90, 120, 60)).toEqual({ left: 0, top: 0 })
  })
})
