import { describe, expect, it } from 'vitest'
import { axisPadding, spatialPadding } from '../../../../../../src/main/engine/models/convert/tfjs-graph/padding.js'
import { TinyGraph, at, maxAbsDiff, seeded } from './tiny-graph.js'

const convAttrs = (strides: number[], padding = 'SAME') => ({
  strides: at.ints([1, strides[0], strides[1], 1]),
  padding: at.s(padding),
  dilations: at.ints([1, 1, 1, 1]),
  data_format: at.s('NHWC'),
})

describe('TF SAME padding', () => {
  it('puts the odd extra pixel at the end, as TF does', () => {
    // 6 wide, 3x3 stride 2: out 3, total pad 1 -> 0 before, 1 after (ONNX default would be symmetric)
    expect(axisPadding('SAME', 6, 3, 2)).toEqual({ begin: 0, end: 1, out: 3 })
    expect(axisPadding('SAME', 7, 3, 2)).toEqual({ begin: 1, end: 1, out: 4 })
    expect(axisPadding('SAME', 5, 4, 1)).toEqual({ begin: 1, end: 2, out: 5 })
    expect(axisPadding('VALID', 7, 3, 2)).toEqual({ begin: 0, end: 0, out: 3 })
    expect(spatialPadding('SAME', [7, 6], [3, 3], [2, 2]).pads).toEqual([1, 0, 1, 1])
  })
})

describe('convolution translators vs TF.js (wasm)', () => {
  it('Conv2D / _FusedConv2D (BiasAdd+Relu6) with asymmetric SAME pads match TF.js', async () => {
    const g = new TinyGraph()
    const x = g.placeholder('x', [1, 7, 6, 3])
    const w1 = g.const('w1', seeded(3 * 3 * 3 * 5, 2), [3, 3, 3, 5])
    const w2 = g.const('w2', seeded(4 * 4 * 5 * 4, 3), [4, 4, 5, 4])
    const bias = g.const('bias', seeded(4, 4, 0, 3), [4])
    const c1 = g.node('c1', 'Conv2D', [x, w1], convAttrs([2, 2]))
    const c2 = g.node('c2', '_FusedConv2D', [c1, w2, bias], { ...convAttrs([1, 1]), fused_ops: at.strs(['BiasAdd', 'Relu6']), num_args: at.i(1) })
    const feeds = { x: { data: seeded(7 * 6 * 3, 5, -4, 4), shape: [1, 7, 6, 3], dtype: 'float32' as const } }
    const ref = await g.runTfjs(feeds, [c1, c2])
    const got = await g.runOnnx(feeds, [c1, c2])
    expect(got.shapes).toEqual([[1, 4, 3, 5], [1, 4, 3, 4]])
    expect(maxAbsDiff(got.values[0], ref[0])).toBeLessThan(1e-5)
    expect(maxAbsDiff(got.values[1], ref[1])).toBeLessThan(1e-5)
    expect(Math.max(...got.values[1])).toBeLessThanOrEqual(6) // Relu6 applied
  })

  it('depthwise convs (multiplier 2, fused BiasAdd+Relu, stride 2, SAME) match TF.js', async () => {
    const g = new TinyGraph()
    const x = g.placeholder('x', [1, 6, 9, 3])
    const w = g.const('w', seeded(3 * 3 * 3 * 2, 6), [3, 3, 3, 2])
    const bias = g.const('bias', seeded(6, 7), [6])
    const d = g.node('d', 'FusedDepthwiseConv2dNative', [x, w, bias], { ...convAttrs([2, 2]), fused_ops: at.strs(['BiasAdd', 'Relu']), num_args: at.i(1) })
    const w2 = g.const('w2', seeded(5 * 5 * 6, 8), [5, 5, 6, 1])
    const d2 = g.node('d2', 'DepthwiseConv2dNative', [d, w2], convAttrs([1, 1]))
    const feeds = { x: { data: seeded(6 * 9 * 3, 9, -2, 2), shape: [1, 6, 9, 3], dtype: 'float32' as const } }
    const ref = await g.runTfjs(feeds, [d, d2])
    const got = await g.runOnnx(feeds, [d, d2])
    expect(got.shapes).toEqual([[1, 3, 5, 6], [1, 3, 5, 6]])
    expect(maxAbsDiff(got.values[0], ref[0])).toBeLessThan(1e-5)
    expect(maxAbsDiff(got.values[1], ref[1])).toBeLessThan(1e-5)
  })

  it('Mean, ConcatV2 and broadcasting ops on NCHW activations keep TF axis semantics', async () => {
    const g = new TinyGraph()
    const x = g.placeholder('x', [1, 4, 5, 3])
    const w = g.const('w', seeded(3 * 2, 10), [1, 1, 3, 2])
    const c = g.node('c', 'Conv2D', [x, w], convAttrs([1, 1]))
    const hw = g.node('hw', 'Mean', [c, g.const('ax12', [1, 2], [2], 'int32')], { keep_dims: at.b(false) })
    const ch = g.node('ch', 'Mean', [c, g.const('ax3', [-1], [], 'int32')], { keep_dims: at.b(false) })
    const h = g.node('h', 'Mean', [c, g.const('ax1', [1], [1], 'int32')], { keep_dims: at.b(true) })
    const cat = g.node('cat', 'ConcatV2', [c, x, g.const('axis', [-1], [], 'int32')], { N: at.i(2) })
    const scaled = g.node('scaled', 'Mul', [c, g.const('k', [2, -3], [2])])
    const feeds = { x: { data: seeded(4 * 5 * 3, 11), shape: [1, 4, 5, 3], dtype: 'float32' as const } }
    const outs = [hw, ch, h, cat, scaled]
    const ref = await g.runTfjs(feeds, outs)
    const got = await g.runOnnx(feeds, outs)
    expect(got.shapes).toEqual([[1, 2], [1, 4, 5], [1, 1, 5, 2], [1, 4, 5, 5], [1, 4, 5, 2]])
    outs.forEach((_, k) => expect(maxAbsDiff(got.values[k], ref[k])).toBeLessThan(1e-5))
  })
})
