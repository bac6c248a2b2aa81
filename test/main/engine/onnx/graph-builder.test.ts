import { describe, expect, it } from 'vitest'
import * as ort from 'onnxruntime-node'
import { OnnxGraphBuilder, attr, f32, i64 } from '../../../../src/main/engine/onnx/graph-builder.js'

describe('OnnxGraphBuilder', () => {
  it('encodes a graph that onnxruntime runs with the expected values', async () => {
    const g = new OnnxGraphBuilder('tiny')
    const x = g.input('x', 'FLOAT', ['N', 3])
    const w = g.initializer('w', f32([1, 2, 3, 4, 5, 6], [3, 2]))
    const y = g.op('MatMul', [x, w])
    const r = g.op('LeakyRelu', [g.op('Sub', [y, g.initializer('c', f32([20], []))])], { alpha: attr.float(0.5) })
    const flat = g.op('Reshape', [r, g.initializer('shape', i64([-1]))], {}, 'flat')
    g.output(flat, 'FLOAT', ['M'])
    const session = await ort.InferenceSession.create(g.encode())
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 1, 2, 0, 1]), [2, 3]) })
    // x·w = [[9,12],[7,10]] minus 20 -> [[-11,-8],[-13,-10]] * 0.5 (leaky)
    expect(Array.from(out.flat.data as Float32Array)).toEqual([-5.5, -4, -6.5, -5])
  })

  it('rejects a tensor whose data does not fit its dims', () => {
    const g = new OnnxGraphBuilder('bad')
    expect(() => g.initializer('w', f32([1, 2, 3], [2, 2]))).toThrow(/w: 3 values for dims \[2,2\]/)
  })
})
