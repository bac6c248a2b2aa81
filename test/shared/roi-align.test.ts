import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../src/shared/math/vector.js'
import { globalAveragePool, roiAlign, roiAlignPooled, type FeatureMap } from '../../src/shared/math/roi-align.js'

// 1 channel, 4x4 map whose value at (y, x) is 10*y + x: bilinear interpolation is exact on it.
const ramp: FeatureMap = { channels: 1, height: 4, width: 4, data: Float32Array.from({ length: 16 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4)) }

describe('roiAlign (aligned, sampling ratio 2)', () => {
  it('matches hand-computed bilinear samples on a linear ramp', () => {
    // box [1,1,3,3] in pixels, scale 1, aligned: shifted to [0.5,0.5,2.5,2.5]; 2x2 bins of size 1,
    // samples at 0.75 and 1.25 within the first bin -> mean y = 1.0, mean x = 1.0 -> value 11.
    const out = roiAlign(ramp, [1, 1, 3, 3], { outH: 2, outW: 2, spatialScale: 1 })
    expect(Array.from(out)).toEqual([11, 12, 21, 22].map((v) => expect.closeTo(v, 5)))
  })

  it('applies the spatial scale (stride) and the -0.5 pixel offset', () => {
    // box [4,4,12,12] at stride 4 -> [1,1,3,3] in cells -> same as above when pooled: mean 16.5
    const pooled = roiAlignPooled(ramp, [4, 4, 12, 12], { outH: 2, outW: 2, spatialScale: 0.25 })
    expect(pooled[0]).toBeCloseTo(16.5, 5)
  })

  it('clamps samples beyond the last row/column and zeroes samples far outside', () => {
    const edge = roiAlign(ramp, [3.5, 3.5, 4.5, 4.5], { outH: 1, outW: 1, spatialScale: 1 })
    expect(edge[0]).toBeCloseTo(33, 5) // clamped to the bottom-right cell
    const outside = roiAlign(ramp, [20, 20, 21, 21], { outH: 1, outW: 1, spatialScale: 1 })
    expect(outside[0]).toBe(0)
  })

  it('pools every channel independently', () => {
    const two: FeatureMap = { channels: 2, height: 2, width: 2, data: Float32Array.from([1, 1, 1, 1, 2, 4, 6, 8]) }
    expect(Array.from(globalAveragePool(two))).toEqual([1, 5])
    expect(Array.from(roiAlignPooled(two, [0, 0, 2, 2], { spatialScale: 1 }))).toEqual([expect.closeTo(1, 6), expect.closeTo(5, 6)])
  })

  it('pooled features are the mean of the 7x7 bins, for boxes inside, across and beyond the edge', () => {
    const rand = seededRandom(7)
    const map: FeatureMap = { channels: 5, height: 16, width: 16, data: Float32Array.from({ length: 5 * 256 }, () => rand() * 2 - 1) }
    for (const box of [[2.3, 3.1, 9.7, 12.2], [-3, 10, 6, 19], [0, 0, 16, 16], [15.2, 15.1, 15.9, 15.8]]) {
      const bins = roiAlign(map, box, { spatialScale: 1 })
      const pooled = roiAlignPooled(map, box, { spatialScale: 1 })
      for (let c = 0; c < 5; c++) {
        const mean = bins.subarray(c * 49, (c + 1) * 49).reduce((a, b) => a + b, 0) / 49
        expect(pooled[c]).toBeCloseTo(mean, 5)
      }
    }
  })
})
