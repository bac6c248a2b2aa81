import { describe, expect, it } from 'vitest'
import { resizeCoordinateMode } from '../../../../../../src/main/engine/models/convert/tfjs-graph/ops/spatial.js'
import { TinyGraph, at, maxAbsDiff, seeded } from './tiny-graph.js'

describe('ResizeBilinear vs TF.js (wasm)', () => {
  const modes: [string, boolean, boolean, string][] = [
    ['legacy (neither flag)', false, false, 'asymmetric'],
    ['align_corners', true, false, 'align_corners'],
    ['half_pixel_centers', false, true, 'half_pixel'],
  ]
  for (const [label, alignCorners, halfPixel, onnxMode] of modes) {
    it(`${label}: upsampling H and downsampling W match TF.js`, async () => {
      expect(resizeCoordinateMode(alignCorners, halfPixel)).toBe(onnxMode)
      const g = new TinyGraph()
      const x = g.placeholder('x', [1, 5, 7, 2])
      // A conv first, so the resize reads an NCHW tensor as in the real graph.
      const c = g.node('c', 'Conv2D', [x, g.const('w', [1, 0.5, -1, 2], [1, 1, 2, 2])], {
        strides: at.ints([1, 1, 1, 1]), padding: at.s('VALID'), dilations: at.ints([1, 1, 1, 1]), data_format: at.s('NHWC'),
      })
      const up = g.node('up', 'ResizeBilinear', [c, g.const('size', [11, 4], [2], 'int32')], {
        align_corners: at.b(alignCorners), half_pixel_centers: at.b(halfPixel),
      })
      const feeds = { x: { data: seeded(5 * 7 * 2, 21, 0, 10), shape: [1, 5, 7, 2], dtype: 'float32' as const } }
      const [ref] = await g.runTfjs(feeds, [up])
      const got = await g.runOnnx(feeds, [up])
      expect(got.shapes[0]).toEqual([1, 11, 4, 2])
      expect(maxAbsDiff(got.values[0], ref)).toBeLessThan(1e-5)
    })
  }

  it('rejects align_corners together with half_pixel_centers (TF does too)', () => {
    expect(() => resizeCoordinateMode(true, true)).toThrow(/cannot both be set/)
  })
})

describe('MaxPool vs TF.js (wasm)', () => {
  it('SAME pooling never takes the max over the padding (all-negative input), strides 1 and 2', async () => {
    const g = new TinyGraph()
    const x = g.placeholder('x', [1, 7, 6, 2])
    const pool = (name: string, stride: number) => g.node(name, 'MaxPool', [x], {
      ksize: at.ints([1, 3, 3, 1]), strides: at.ints([1, stride, stride, 1]), padding: at.s('SAME'), data_format: at.s('NHWC'),
    })
    const p1 = pool('p1', 1)
    const p2 = pool('p2', 2)
    const feeds = { x: { data: seeded(7 * 6 * 2, 22, -9, -1), shape: [1, 7, 6, 2], dtype: 'float32' as const } }
    const ref = await g.runTfjs(feeds, [p1, p2])
    const got = await g.runOnnx(feeds, [p1, p2])
    expect(got.shapes).toEqual([[1, 7, 6, 2], [1, 4, 3, 2]])
    expect(maxAbsDiff(got.values[0], ref[0])).toBe(0)
    expect(maxAbsDiff(got.values[1], ref[1])).toBe(0)
    expect(Math.max(...got.values[1])).toBeLessThan(0)
  })
})
