import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { convertGraphModel } from '../../../../../../src/main/engine/models/convert/tfjs-graph/converter.js'
import { onnxRoot } from '../../../../../../src/main/engine/onnx/onnx-schema.js'
import { TinyGraph, at, seeded } from './tiny-graph.js'

function onnxNodes(bytes: Uint8Array): { op_type: string; input: string[]; output: string[] }[] {
  const Model = onnxRoot().lookupType('onnx.ModelProto')
  return (Model.toObject(Model.decode(bytes)) as { graph: { node: { op_type: string; input: string[]; output: string[] }[] } }).graph.node
}

function smallGraph(): TinyGraph {
  const g = new TinyGraph()
  const x = g.placeholder('x', [1, 3, 4, 2])
  g.node('c', 'Conv2D', [x, g.const('w', seeded(2 * 3, 1), [1, 1, 2, 3])], {
    strides: at.ints([1, 1, 1, 1]), padding: at.s('SAME'), dilations: at.ints([1, 1, 1, 1]), data_format: at.s('NHWC'),
  })
  g.node('r', 'Relu', ['c'])
  return g
}

describe('convertGraphModel', () => {
  it('names outputs without copies where it can, in the asked layout, and runs in onnxruntime', async () => {
    const converted = convertGraphModel(smallGraph().loaded(), {
      graphName: 'small',
      inputs: [{ tfName: 'x', onnxName: 'image' }],
      outputs: [
        { tfName: 'r', onnxName: 'relu_nchw', layout: 'NCHW' },
        { tfName: 'r', onnxName: 'relu_nhwc', layout: 'NHWC' },
        { tfName: 'c', onnxName: 'conv_again', layout: 'NCHW' },
        { tfName: 'r', onnxName: 'relu_copy', layout: 'NCHW' },
        { tfName: 'x', onnxName: 'image_echo', layout: 'NHWC' },
      ],
    })
    expect(converted.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['relu_nchw', [1, 3, 3, 4]], ['relu_nhwc', [1, 3, 4, 3]], ['conv_again', [1, 3, 3, 4]], ['relu_copy', [1, 3, 3, 4]], ['image_echo', [1, 3, 4, 2]],
    ])
    const nodes = onnxNodes(converted.bytes)
    // The Relu and the transposes write the outputs directly; only the repeated tensor and the
    // graph input need an Identity.
    expect(nodes.find((n) => n.op_type === 'Relu')?.output).toEqual(['relu_nchw'])
    expect(nodes.filter((n) => n.op_type === 'Identity').map((n) => n.output[0]).sort()).toEqual(['image_echo', 'relu_copy'])
    expect(nodes.filter((n) => n.op_type === 'Transpose')).toHaveLength(2) // input -> NCHW, relu -> NHWC

    const session = await ort.InferenceSession.create(converted.bytes)
    const image = seeded(24, 2)
    const out = await session.run({ image: new ort.Tensor('float32', image, [1, 3, 4, 2]) })
    const nchw = out.relu_nchw.data as Float32Array
    const nhwc = out.relu_nhwc.data as Float32Array
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) {
      expect(nhwc[(y * 4 + x) * 3 + c]).toBe(nchw[(c * 3 + y) * 4 + x])
    }
    expect(Array.from(out.relu_copy.data as Float32Array)).toEqual(Array.from(nchw))
    expect(Array.from(out.image_echo.data as Float32Array)).toEqual(Array.from(image))
    expect(Math.min(...nchw)).toBe(0)
    await session.release()
  })

  it('names the op, the node and the missing input in its errors', () => {
    const g = smallGraph()
    g.node('odd', 'Erfinv', ['r'])
    const base = { graphName: 'bad', inputs: [{ tfName: 'x', onnxName: 'x' }] }
    expect(() => convertGraphModel(g.loaded(), { ...base, outputs: [{ tfName: 'odd', onnxName: 'y', layout: 'NHWC' }] }))
      .toThrow(/TF op Erfinv \(node odd\) is not supported/)
    expect(() => convertGraphModel(g.loaded(), { ...base, inputs: [], outputs: [{ tfName: 'r', onnxName: 'y', layout: 'NHWC' }] }))
      .toThrow(/needs input x/)
    expect(() => convertGraphModel(g.loaded(), { ...base, outputs: [{ tfName: 'nope', onnxName: 'y', layout: 'NHWC' }] }))
      .toThrow(/no node nope/)
  })
})
