import { describe, expect, it } from 'vitest'
import {
  boxCenter,
  boxFromPoints,
  captionWidth,
  clientToView,
  fitContain,
  iou,
  labelPlacement,
  placeBox,
  scaleBox,
  unitsPerPixel,
  visibleByScore,
} from '../../../src/renderer/lib/geometry/boxes.js'

describe('box geometry', () => {
  it('fits a photo into a panel like object-fit: contain, centred', () => {
    // A 640x480 photo in a 400x400 panel: width-bound, scale 0.625, 300 px tall, 50 px bands.
    expect(fitContain(640, 480, 400, 400)).toEqual({ x: 0, y: 50, width: 400, height: 300, scale: 0.625 })
    // A portrait photo in a wide panel: height-bound.
    expect(fitContain(300, 600, 900, 300)).toEqual({ x: 375, y: 0, width: 150, height: 300, scale: 0.5 })
    expect(fitContain(0, 480, 400, 400).scale).toBe(0)
  })

  it('moves boxes into a placement and scales them between image sizes', () => {
    const place = fitContain(640, 480, 400, 400)
    expect(placeBox([64, 48, 320, 240], place)).toEqual([40, 80, 200, 200])
    // The same box on the 320-px thumbnail of a 640x480 photo.
    expect(scaleBox([64, 48, 320, 240], 640, 480, 320, 240)).toEqual([32, 24, 160, 120])
    expect(boxCenter([10, 20, 30, 60])).toEqual({ x: 20, y: 40 })
  })

  it('converts screen pixels to viewBox units for a meet-scaled SVG', () => {
    // A 1280x960 viewBox drawn 640 px wide (height-limited or not): 2 units per pixel.
    expect(unitsPerPixel(1280, 960, 640, 2000)).toBe(2)
    expect(unitsPerPixel(1280, 960, 5000, 480)).toBe(2)
    const rect = { left: 100, top: 10, width: 400, height: 400 }
    // Photo 640x480 drawn at scale 0.625 with a 50-px band on top.
    expect(clientToView({ x: 100 + 200, y: 10 + 50 + 150 }, rect, 640, 480)).toEqual({ x: 320, y: 240 })
  })

  it('puts a caption above a box, or inside it at the top edge, never past the right edge', () => {
    expect(labelPlacement([100, 50, 200, 150], 60, 20, 640, 480)).toEqual({ x: 100, y: 30, inside: false })
    expect(labelPlacement([100, 5, 200, 150], 60, 20, 640, 480)).toEqual({ x: 100, y: 5, inside: true })
    expect(labelPlacement([620, 50, 640, 150], 60, 20, 640, 480).x).toBe(580)
    expect(captionWidth('dog 0.91', 10)).toBeGreaterThan(captionWidth('dog', 10))
  })

  it('shows objects at or above the threshold and every human box', () => {
    const objects = [{ score: 0.9 }, { score: 0.3 }, { score: 0.25 }, { score: null }, { score: 0.1 }]
    expect(visibleByScore(objects, 0.25)).toEqual([{ score: 0.9 }, { score: 0.3 }, { score: 0.25 }, { score: null }])
    expect(visibleByScore(objects, 0.95)).toEqual([{ score: null }])
  })

  it('builds boxes from a drag in any direction, clamped to the photo, and measures overlap', () => {
    expect(boxFromPoints({ x: 300, y: 10 }, { x: -20, y: 500 }, 640, 480)).toEqual([0, 10, 300, 480])
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1)
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150)
    expect(iou([0, 0, 10, 10], [20, 20, 30, 30])).toBe(0)
  })
})
