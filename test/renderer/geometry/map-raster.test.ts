import { describe, expect, it } from 'vitest'
import { discStamp, fitTransform, packRgba, panBy, parseColor, pointRadius, rasterizePoints, toData, toScreen, zoomAt } from '../../../src/renderer/components/map/map-raster.js'

describe('map view transform', () => {
  it('fits the bounds centred with padding and maps both ways', () => {
    const t = fitTransform({ minX: -1, minY: 0, maxX: 1, maxY: 1 }, 240, 140, 20)
    expect(t.scale).toBe(100)
    expect(toScreen(t, -1, 0)).toEqual([20, 20])
    expect(toScreen(t, 1, 1)).toEqual([220, 120])
    expect(toData(t, 120, 70)).toEqual([0, 0.5])
  })

  it('zooms about the cursor (the point under it stays put) within limits, and pans', () => {
    const t = { scale: 10, tx: 5, ty: -3 }
    const before = toData(t, 37, 81)
    const z = zoomAt(t, 2, 37, 81, 1, 1000)
    expect(z.scale).toBe(20)
    const after = toData(z, 37, 81)
    expect(after[0]).toBeCloseTo(before[0], 10)
    expect(after[1]).toBeCloseTo(before[1], 10)
    expect(zoomAt(t, 1e6, 0, 0, 1, 50).scale).toBe(50)
    expect(panBy(t, 4, 6)).toEqual({ scale: 10, tx: 9, ty: 3 })
  })
})

describe('point rasteriser', () => {
  it('stamps discs in the point colour, skips hidden points and clips at the edges', () => {
    const w = 20
    const h = 10
    const px = new Uint32Array(w * h).fill(7)
    const red = packRgba(255, 0, 0)
    const xy = Float32Array.from([5, 5, 19, 0, 12, 5])
    const colors = Uint32Array.from([red, red, packRgba(0, 0, 255, 0)])
    rasterizePoints(px, w, h, { xy, count: 3, colors, layer: null, transform: { scale: 1, tx: 0, ty: 0 }, radius: 1 })
    const set = [...px.keys()].filter((k) => px[k] !== 0)
    // a radius-1 disc is a plus of 5 pixels; the corner point keeps only its 3 pixels inside the frame
    expect(discStamp(1).length / 2).toBe(5)
    expect(set).toHaveLength(5 + 3)
    expect(px[5 * w + 5]).toBe(red)
    expect(px[5 * w + 12]).toBe(0)
  })

  it('draws layer 1 over layer 0 whatever the point order', () => {
    const px = new Uint32Array(9)
    const a = packRgba(1, 2, 3)
    const b = packRgba(4, 5, 6)
    const input = { xy: Float32Array.from([1, 1, 1, 1]), count: 2, colors: Uint32Array.from([b, a]), layer: Uint8Array.from([1, 0]), transform: { scale: 1, tx: 0, ty: 0 }, radius: 0 }
    rasterizePoints(px, 3, 3, input)
    expect(px[4]).toBe(b)
  })

  it('packs colours for a little-endian ImageData view and reads CSS colours', () => {
    const bytes = new Uint8Array(Uint32Array.from([packRgba(10, 20, 30, 40)]).buffer)
    expect([...bytes]).toEqual([10, 20, 30, 40])
    expect(parseColor('#4e79a7')).toEqual([78, 121, 167])
    expect(parseColor('#fff')).toEqual([255, 255, 255])
    expect(parseColor('rgb(1, 2, 3)')).toEqual([1, 2, 3])
    expect(pointRadius(16, 1, 1)).toBe(5)
    expect(pointRadius(100_000, 1, 2)).toBe(2)
  })
})
