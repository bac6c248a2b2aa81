import { describe, expect, it } from 'vitest'
import { sliceAxis } from '../../../../../../src/main/engine/models/convert/tfjs-graph/ops/shape-ops.js'
import { TinyGraph, at, maxAbsDiff, seeded } from './tiny-graph.js'

const ints = (values: number[]) => ({ data: Int32Array.from(values), shape: [values.length], dtype: 'int32' as const })

describe('integer and index ops vs TF.js (wasm)', () => {
  it('FloorDiv / FloorMod floor toward -inf for negative ints and floats (ONNX Div alone would truncate)', async () => {
    const g = new TinyGraph()
    const a = g.placeholder('a', [8], 'int32')
    const f = g.placeholder('f', [8])
    const intAttr = { T: at.type('DT_INT32') }
    const outs = [
      g.node('div_pos', 'FloorDiv', [a, g.const('three', [3], [], 'int32')], intAttr),
      g.node('div_neg', 'FloorDiv', [a, g.const('minus3', [-3], [], 'int32')], intAttr),
      g.node('mod_pos', 'FloorMod', [a, g.const('three_b', [3], [], 'int32')], intAttr),
      g.node('mod_neg', 'FloorMod', [a, g.const('minus3_b', [-3], [], 'int32')], intAttr),
      g.node('fdiv', 'FloorDiv', [f, g.const('fd', [-2.5], [])]),
      g.node('fmod', 'FloorMod', [f, g.const('fm', [2.5], [])]),
    ]
    const values = [-7, -6, -1, 0, 1, 6, 7, 13]
    const feeds = { a: ints(values), f: { data: Float32Array.from(values, (v) => v * 1.3), shape: [8], dtype: 'float32' as const } }
    const ref = await g.runTfjs(feeds, outs)
    const got = await g.runOnnx(feeds, outs)
    expect(Array.from(got.values[0])).toEqual(values.map((v) => Math.floor(v / 3)))
    expect(Array.from(got.values[1])).toEqual(values.map((v) => Math.floor(v / -3) + 0))
    outs.forEach((_, k) => expect(maxAbsDiff(got.values[k], ref[k]), outs[k]).toBeLessThan(1e-5))
  })

  it('StridedSlice honours begin/end/shrink masks and negative strides', async () => {
    expect(sliceAxis(5, 0, 0, -2, true, true, false)).toEqual({ start: 4, end: -6, step: -2, length: 3 })
    const g = new TinyGraph()
    const x = g.placeholder('x', [2, 5, 4])
    const c = (name: string, v: number[]) => g.const(name, v, [v.length], 'int32')
    const s1 = g.node('s1', 'StridedSlice', [x, c('b1', [0, -1, 1]), c('e1', [0, 0, 3]), c('st1', [1, -2, 1])], {
      begin_mask: at.i(1), end_mask: at.i(3), shrink_axis_mask: at.i(0), ellipsis_mask: at.i(0), new_axis_mask: at.i(0),
    })
    const s2 = g.node('s2', 'StridedSlice', [x, c('b2', [1, 1, -1]), c('e2', [2, 4, 0]), c('st2', [1, 1, 1])], {
      begin_mask: at.i(0), end_mask: at.i(0), shrink_axis_mask: at.i(5), ellipsis_mask: at.i(0), new_axis_mask: at.i(0),
    })
    const feeds = { x: { data: Float32Array.from({ length: 40 }, (_, k) => k), shape: [2, 5, 4], dtype: 'float32' as const } }
    const ref = await g.runTfjs(feeds, [s1, s2])
    const got = await g.runOnnx(feeds, [s1, s2])
    expect(got.shapes).toEqual([[2, 3, 2], [3]])
    expect(Array.from(got.values[0])).toEqual(Array.from(ref[0]))
    expect(Array.from(got.values[1])).toEqual([27, 31, 35])
    expect(Array.from(got.values[1])).toEqual(Array.from(ref[1]))
  })

  it('TopKV2 (ties: lower index first), GatherV2, Reshape, ExpandDims and Cast match TF.js', async () => {
    const g = new TinyGraph()
    const x = g.placeholder('x', [1, 12])
    const table = g.placeholder('table', [12, 2])
    const top = g.node('top', 'TopKV2', [x, g.const('k', [5], [], 'int32')], { sorted: at.b(true) })
    const idx = g.node('idx', 'Reshape', ['top:1', g.const('flat', [-1], [1], 'int32')], { T: at.type('DT_INT32') })
    const rows = g.node('rows', 'GatherV2', [table, idx, g.const('axis', [0], [], 'int32')], { batch_dims: at.i(0) })
    const col = g.node('col', 'ExpandDims', [idx, g.const('dim', [-1], [], 'int32')], { T: at.type('DT_INT32') })
    const colF = g.node('colF', 'Cast', [col], { SrcT: at.type('DT_INT32'), DstT: at.type('DT_FLOAT') })
    const feeds = {
      x: { data: Float32Array.from([0.5, 0.9, 0.1, 0.9, 0.3, 0.9, 0.2, 0.5, 0.7, 0, 0.5, 0.8]), shape: [1, 12], dtype: 'float32' as const },
      table: { data: seeded(24, 31), shape: [12, 2], dtype: 'float32' as const },
    }
    const outs = [top, 'top:1', rows, colF]
    const ref = await g.runTfjs(feeds, outs)
    const got = await g.runOnnx(feeds, outs)
    expect(Array.from(got.values[1])).toEqual([1, 3, 5, 11, 8])
    expect(got.shapes).toEqual([[1, 5], [1, 5], [5, 2], [5, 1]])
    outs.forEach((_, k) => expect(maxAbsDiff(got.values[k], ref[k])).toBe(0))
  })
})
